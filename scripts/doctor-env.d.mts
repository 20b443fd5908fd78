/** Types of scripts/doctor-env.mjs (`make doctor`). */
export declare function parseEnvFile(text: string): Record<string, string>;
export declare function doctorEnvironment(
  envText: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string>;
