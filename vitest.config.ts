import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

// Workspace packages resolve to their TypeScript sources through the "source" export condition,
// so tests never need a build first.
const conditions = ["source", ...defaultServerConditions];
const resolve = { conditions };
const ssr = { resolve: { conditions, externalConditions: ["source"] } };

export default defineConfig({
  resolve,
  ssr,
  test: {
    projects: [
      {
        resolve,
        ssr,
        test: {
          name: "unit",
          sequence: { groupOrder: 0 },
          include: ["packages/*/test/**/*.test.ts", "services/*/test/**/*.test.ts"],
          exclude: ["**/test/integration/**", "**/node_modules/**"],
          testTimeout: 20_000,
        },
      },
      {
        resolve,
        ssr,
        test: {
          name: "integration",
          sequence: { groupOrder: 1 },
          include: [
            "packages/*/test/integration/**/*.test.ts",
            "services/*/test/integration/**/*.test.ts",
            "test/**/*.test.ts",
          ],
          exclude: ["test/containers/**", "**/node_modules/**"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Daemons are real processes; two cores, so keep parallelism modest.
          maxWorkers: 2,
          fileParallelism: true,
        },
      },
      {
        resolve,
        ssr,
        test: {
          // Images built and the stack run by a Docker engine: alone, after the other groups, since builds take
          // both cores (test/containers/stack.test.ts).
          name: "containers",
          sequence: { groupOrder: 2 },
          include: ["test/containers/**/*.test.ts"],
          testTimeout: 10 * 60_000,
          hookTimeout: 45 * 60_000,
          maxWorkers: 1,
        },
      },
    ],
  },
});
