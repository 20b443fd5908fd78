/**
 * `--out` of `smarty simulate`: `-` (stdout, the default), a file name, `tcp://HOST:PORT` (serve as a TCP bridge)
 * or `pty` / `pty:PATH` (serve on a pseudo-terminal whose slave is linked at PATH).
 */
import type { Writable } from "node:stream";
import { UsageError } from "./command.js";
import { type FrameOutput, StreamOutput } from "./frame-output.js";
import { PtyOutput } from "./pty-output.js";
import { TcpServerOutput } from "./tcp-server-output.js";

export type OutputTarget =
  | { readonly kind: "stdout" }
  | { readonly kind: "file"; readonly path: string }
  | { readonly kind: "tcp"; readonly host: string; readonly port: number }
  | { readonly kind: "pty"; readonly link?: string };

export function parseOutputTarget(text: string | undefined): OutputTarget {
  if (text === undefined || text === "-") return { kind: "stdout" };
  if (text === "pty") return { kind: "pty" };
  if (text.startsWith("pty:")) {
    const link = text.slice(4);
    if (link === "") throw new UsageError("--out pty:PATH needs a path for the device link");
    return { kind: "pty", link };
  }
  if (text.startsWith("tcp:")) {
    let url: URL;
    try {
      url = new URL(text);
    } catch (cause) {
      throw new UsageError("--out tcp://HOST:PORT needs a host and a port, e.g. tcp://127.0.0.1:2000", { cause });
    }
    if (url.protocol !== "tcp:" || url.hostname === "" || url.port === "") {
      throw new UsageError("--out tcp://HOST:PORT needs a host and a port (0 picks a free one)");
    }
    return { kind: "tcp", host: url.hostname.replace(/^\[(.*)\]$/, "$1"), port: Number(url.port) };
  }
  return { kind: "file", path: text };
}

export function createOutput(target: OutputTarget, stdout: Writable): FrameOutput {
  switch (target.kind) {
    case "stdout":
      return new StreamOutput("stdout", stdout, false);
    case "file":
      return StreamOutput.file(target.path);
    case "tcp":
      return new TcpServerOutput({ host: target.host, port: target.port });
    case "pty":
      return new PtyOutput(target.link ? { link: target.link } : {});
  }
}
