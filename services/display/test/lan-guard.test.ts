/**
 * The display on a shared LAN, over real HTTP: only configured host names and IP literals are served (a page that
 * rebinds its own DNS name to the Pi must not read the API), and one device cannot take every event-stream slot.
 */
import { type IncomingHttpHeaders, request } from "node:http";
import { BurstLogger, HttpServerComponent, ManualClock, silentLogger } from "@smarty/service-kit";
import { waitFor } from "@smarty/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAssets } from "../src/assets.js";
import { loadDisplayConfig } from "../src/config.js";
import { createHttpApp } from "../src/http.js";
import { MeterStore } from "../src/meter-store.js";
import { Views } from "../src/snapshot.js";
import { SseHub } from "../src/sse-hub.js";

const clock = new ManualClock(Date.UTC(2026, 3, 3, 15, 54, 31));
const logger = silentLogger();
const store = new MeterStore({ clock, staleAfterMs: 30_000 });
const views = new Views(store, { currency: "EUR" });
const hub = new SseHub({ clock, logger, burst: new BurstLogger(logger, clock), maxClients: 64, maxPerClient: 3 });
const health = () => ({ mqtt: true, meters: 0, clients: hub.size, rejected: 0, dropped_clients: 0 });
const config = loadDisplayConfig({ DISPLAY_ALLOWED_HOSTS: "smarty.local, Pi.Home.Arpa" });
const server = new HttpServerComponent(
  createHttpApp({ assets: loadAssets(), views, hub, health, allowedHosts: config.DISPLAY_ALLOWED_HOSTS }),
  0,
  "127.0.0.1",
);

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  close(): void;
}

/** One GET over node:http, which (unlike fetch) sends any Host header and any local loopback address. */
function get(path: string, host: string | undefined, localAddress = "127.0.0.1"): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port: server.boundPort, path, localAddress, setHost: host === undefined },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        const done = () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, close: () => req.destroy() });
        if (res.headers["content-type"]?.startsWith("text/event-stream")) {
          done();
          return;
        }
        res.on("data", (c: string) => {
          body += c;
        });
        res.on("end", done);
      },
    );
    if (host !== undefined) req.setHeader("Host", host);
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  hub.start();
  await server.start();
});
afterAll(async () => {
  hub.stop();
  await server.stop();
  store.close();
});

describe("Host header (DNS rebinding)", () => {
  it("serves IP literals (v4 and v6, with or without port), localhost and the configured names", async () => {
    const port = server.boundPort;
    for (const host of [
      `127.0.0.1:${port}`,
      "192.168.1.10",
      "[::1]",
      `[fe80::1]:${port}`,
      "localhost",
      `LOCALHOST:${port}`,
      "smarty.local",
      `smarty.local.:${port}`,
      "pi.home.arpa:8080",
    ]) {
      expect((await get("/api/meters", host)).status, host).toBe(200);
    }
  });

  it("refuses any other name with 421 and says how to allow it", async () => {
    for (const host of [
      "attacker.example",
      "smarty.local.attacker.example:8080",
      "evil-smarty.local",
      "1.2.3.4.nip.io",
    ]) {
      const res = await get("/api/meters", host);
      expect(res.status, host).toBe(421);
      expect(res.body, host).toMatch(/not an allowed host name; add it to DISPLAY_ALLOWED_HOSTS/);
      expect(res.body).not.toMatch(/meters/);
    }
    expect((await get("/", "attacker.example")).status).toBe(421);
    expect((await get("/events", "attacker.example")).status).toBe(421);
    expect(hub.size).toBe(0);
  });

  it("refuses a request without a Host header", async () => {
    expect((await get("/api/meters", "")).status).toBe(400);
  });
});

describe("event streams per client address", () => {
  it("caps the streams of one address with 429, and another device still gets its stream", async () => {
    const mine = await Promise.all([1, 2, 3].map(() => get("/events", "smarty.local")));
    expect(mine.map((r) => r.status)).toEqual([200, 200, 200]);
    const fourth = await get("/events", "smarty.local");
    expect(fourth.status).toBe(429);
    expect(fourth.headers["retry-after"]).toBe("10");
    expect(fourth.body).toMatch(/too many event streams from this address/);
    const tablet = await get("/events", "smarty.local", "127.0.0.2");
    expect(tablet.status).toBe(200);
    expect(hub.size).toBe(4);
    // A closed stream frees its slot for the same address.
    mine[0]?.close();
    await waitFor(() => hub.size === 3, 5000, "stream closed");
    const again = await get("/events", "smarty.local");
    expect(again.status).toBe(200);
    for (const r of [...mine, again, tablet]) r.close();
    await waitFor(() => hub.size === 0, 5000, "all streams closed");
  });
});

describe("configuration", () => {
  it("defaults to no extra host names and 8 streams per client, and refuses bad values", () => {
    const c = loadDisplayConfig({});
    expect(c.DISPLAY_ALLOWED_HOSTS).toEqual([]);
    expect(c.DISPLAY_MAX_STREAMS_PER_CLIENT).toBe(8);
    expect(config.DISPLAY_ALLOWED_HOSTS).toEqual(["smarty.local", "pi.home.arpa"]);
    expect(() => loadDisplayConfig({ DISPLAY_ALLOWED_HOSTS: "smarty.local:8080" })).toThrow(
      /DISPLAY_ALLOWED_HOSTS: must be a comma list of host names/,
    );
    expect(() => loadDisplayConfig({ DISPLAY_MAX_STREAMS_PER_CLIENT: "0" })).toThrow(/DISPLAY_MAX_STREAMS_PER_CLIENT/);
  });
});
