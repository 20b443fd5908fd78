/**
 * serialport's binding with a read that ends at a hangup.
 *
 * On Linux and macOS serialport (bindings-cpp 13, `unixRead`) answers a read that returns 0 bytes by reading again
 * at once, each retry awaiting the next. A tty returns 0 bytes, not an error, to every read after it was hung up:
 * the far end of a pty closed, a USB serial adapter pulled while a read was under way (when the port was waiting
 * for data instead, the poller reports an error and the port closes as it should). The retries then never end: no
 * error reaches the stream, the port never closes, and the chain of pending promises grows until the heap is
 * exhausted. Here a read of a unix port is one loop: data is returned, EAGAIN waits for the poller as before, and a
 * read of 0 bytes is a hangup that fails as a disconnect, so the stream closes the port and the source reopens it.
 */
import { read } from "node:fs";
import { promisify } from "node:util";

const readAsync = promisify(read);

/** The device hung up: every further read would return 0 bytes. serialport's stream closes the port on it. */
export class TtyHangupError extends Error {
  readonly disconnect = true;
  readonly code = "EHANGUP";
  constructor(path: string) {
    super(`${path}: hung up (read returned no bytes)`);
    this.name = "TtyHangupError";
  }
}

/** The port was closed under a pending read; serialport's stream ignores canceled reads. */
class ReadCanceledError extends Error {
  readonly canceled = true;
  constructor() {
    super("Port is not open");
    this.name = "ReadCanceledError";
  }
}

type ReadResult = { buffer: Buffer; bytesRead: number };

/** What a unix port binding of bindings-cpp has (LinuxPortBinding, DarwinPortBinding). */
interface UnixPort {
  fd: number | null;
  readonly isOpen: boolean;
  readonly openOptions: { readonly path: string };
  readonly poller: { once(event: "readable", callback: (err: Error | null) => void): unknown };
  read(buffer: Buffer, offset: number, length: number): Promise<ReadResult>;
}

function isUnixPort(port: unknown): port is UnixPort {
  const p = port as Partial<UnixPort> | null;
  return typeof p?.fd === "number" && typeof p.poller?.once === "function" && typeof p.read === "function";
}

function readable(port: UnixPort): Promise<void> {
  return new Promise((resolve, reject) => {
    port.poller.once("readable", (err) => (err ? reject(err) : resolve()));
  });
}

/** One read of a unix tty: bytes, or a rejection (hangup, device error, canceled by close). */
export async function readTty(port: UnixPort, buffer: Buffer, offset: number, length: number): Promise<ReadResult> {
  for (;;) {
    const fd = port.fd;
    if (fd === null || !port.isOpen) throw new ReadCanceledError();
    let bytesRead: number;
    try {
      ({ bytesRead } = await readAsync(fd, buffer, offset, length, null));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "EAGAIN" && code !== "EWOULDBLOCK" && code !== "EINTR") throw err;
      if (!port.isOpen) throw new ReadCanceledError();
      await readable(port);
      continue;
    }
    if (bytesRead > 0 || length === 0) return { bytesRead, buffer };
    throw new TtyHangupError(port.openOptions.path);
  }
}

/** Replaces the read of a unix port binding; other ports (Windows) are returned as they are. */
export function withHangupRead<P>(port: P): P {
  if (isUnixPort(port)) {
    const unix = port;
    unix.read = (buffer, offset, length) => readTty(unix, buffer, offset, length);
  }
  return port;
}

/** A serialport binding whose ports end their reads at a hangup (see above). */
export function hangupAwareBinding<B extends { open(options: never): Promise<unknown> }>(binding: B): B {
  return {
    ...binding,
    open: async (options: never) => withHangupRead(await binding.open(options)),
  };
}
