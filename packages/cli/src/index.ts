/**
 * @smarty/cli — the `smarty` command, and the pieces the demo and tests reuse programmatically: the frame
 * outputs (TCP bridge, pty, stream), the pacing loop, and the in-process command runner.
 */
export * from "./command.js";
export * from "./frame-output.js";
export { COMMANDS, main, runCli } from "./main.js";
export * from "./output-target.js";
export * from "./pty-output.js";
export * from "./simulation-runner.js";
export * from "./tcp-server-output.js";
