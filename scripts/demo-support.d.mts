/** Types of scripts/demo-support.mjs, shared by `make demo` and the stack tests. */
export declare const ROOT: string;
export declare function findExecutable(name: string): string | undefined;
export declare function waitFor(what: string, check: () => unknown, timeoutMs?: number): Promise<void>;
export declare function prometheusConfig(
  dir: string,
  ports: { readonly metricsPort: number; readonly prometheusPort: number },
): string;
export declare function historyMs(text: string | undefined): number;
