/**
 * A local TCP server serving meter bytes, like `smarty simulate --out tcp` or a ser2net bridge: the ingest
 * connects, the test writes frames, and can kill and restart the server on the same port.
 */
import { createServer, type Server, type Socket } from "node:net";
import { freePort, waitFor } from "@smarty/testkit";

export interface TcpMeter {
  readonly port: number;
  readonly url: string;
  /** Waits for a client, then writes to every connected one. */
  write(bytes: Uint8Array): Promise<void>;
  clients(): number;
  /** Kills the server and every connection (the bridge loses power). */
  kill(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTcpMeter(): Promise<TcpMeter> {
  const port = await freePort();
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((sock) => {
        sockets.add(sock);
        sock.on("error", () => undefined);
        sock.on("close", () => sockets.delete(sock));
      });
      s.once("error", reject);
      s.listen(port, "127.0.0.1", () => resolve());
      server = s;
    });
  const kill = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      sockets.clear();
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
    });
  await listen();
  return {
    port,
    url: `tcp://127.0.0.1:${port}`,
    async write(bytes) {
      await waitFor(() => sockets.size > 0, 10_000, "a client on the TCP meter");
      await Promise.all([...sockets].map((s) => new Promise<void>((resolve) => s.write(bytes, () => resolve()))));
    },
    clients: () => sockets.size,
    kill,
    restart: listen,
    stop: kill,
  };
}
