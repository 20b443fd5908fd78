/** Types of scripts/gen-docs.mjs, used by the test that keeps docs/reading.md in sync with the code. */
export declare const ROOT: string;
export declare const READING_DOC: string;
export declare function generatedBlocks(p1: typeof import("../packages/p1/src/index.js")): Record<string, string>;
export declare function applyBlocks(text: string, blocks: Record<string, string>): string;
