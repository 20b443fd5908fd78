#!/usr/bin/env node
// The `smarty` bin. It is a committed file, not dist/main.js itself, because npm links a workspace's bins at
// `npm ci` time and skips a bin whose file does not exist yet; dist/ only appears with `npm run build`.
try {
  const { main } = await import("../dist/main.js");
  await main();
} catch (err) {
  if (err?.code === "ERR_MODULE_NOT_FOUND" && String(err.message).includes("dist/main.js")) {
    process.stderr.write("smarty: the CLI is not built yet; run 'npm run build' at the repository root\n");
    process.exitCode = 70;
  } else {
    throw err;
  }
}
