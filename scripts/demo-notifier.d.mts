/** Types of scripts/demo-notifier.mjs (`make demo`). */
export declare function startNotifier(o: {
  readonly common: Readonly<Record<string, string>>;
  readonly work: string;
  readonly start: (name: string, command: string, args: string[], env?: object, quiet?: boolean) => unknown;
  readonly connects: (port: number) => Promise<boolean>;
  readonly redisPort: number;
}): Promise<string>;
export declare function notifierConfig(dir: string): string;
export declare function waitForRetained(
  url: string,
  options: Record<string, unknown>,
  topic: string,
  value: string,
  timeoutMs?: number,
): Promise<void>;
