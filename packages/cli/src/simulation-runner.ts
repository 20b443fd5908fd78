/**
 * Paces a MeterSimulator into a FrameOutput: frame n goes out at wall time start + n × interval ÷ speed (so a
 * slow write never makes the stream drift), or as fast as the output takes it with `speed: "max"`. The simulator
 * is pure; this is where time and I/O meet it. The sleep is injectable so tests drive pacing without waiting.
 */
import type { MeterSimulator, SimulatedFrame } from "@smarty/simulator";
import type { FrameOutput } from "./frame-output.js";

/** `max` = no waiting; a number = that many times real time (1 = the meter's own pace). */
export type Speed = "max" | number;

export interface FrameEncoding {
  /** Write the plaintext telegram instead of the encrypted frame. */
  readonly plain: boolean;
  /** Write each frame as one line of hex text. */
  readonly hex: boolean;
}

/** Bytes to write for one simulated frame. */
export function frameBytes(frame: SimulatedFrame, encoding: FrameEncoding): Buffer {
  const raw = encoding.plain || !frame.frame ? Buffer.from(frame.telegram, "latin1") : frame.frame;
  return encoding.hex ? Buffer.from(`${raw.toString("hex")}\n`, "latin1") : raw;
}

export interface RunSimulationOptions {
  readonly simulator: MeterSimulator;
  readonly output: FrameOutput;
  readonly encoding: FrameEncoding;
  /** Stop after this many frames; undefined = until aborted or the output closes. */
  readonly count?: number;
  readonly speed: Speed;
  readonly signal: AbortSignal;
  /** Wall clock, ms. */
  readonly now?: () => number;
  /** Resolves after `ms` or when `signal` aborts. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Called after each frame is handed to the output. */
  readonly onFrame?: (frame: SimulatedFrame) => void;
}

/** Sleeps, waking early when the signal aborts; never rejects. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Runs until `count` frames, an abort or a closed output; returns the number of frames written. */
export async function runSimulation(options: RunSimulationOptions): Promise<number> {
  const { simulator, output, signal, speed } = options;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const wallStart = now();
  let written = 0;
  while (!signal.aborted && !output.closed && (options.count === undefined || written < options.count)) {
    if (speed !== "max") {
      const due = wallStart + (written * simulator.intervalMs) / speed;
      const wait = due - now();
      if (wait > 0) await sleep(wait, signal);
      if (signal.aborted) break;
    }
    const frame = simulator.next();
    await output.write(frameBytes(frame, options.encoding));
    written++;
    options.onFrame?.(frame);
    // At full speed, let sockets and signals run between frames instead of starving the event loop.
    if (speed === "max") await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return written;
}
