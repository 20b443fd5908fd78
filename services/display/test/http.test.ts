import { BurstLogger, HttpServerComponent, ManualClock, silentLogger } from "@smarty/service-kit";
import { buildReading } from "@smarty/testkit/reading-builder";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAssets } from "../src/assets.js";
import { createHttpApp } from "../src/http.js";
import { MeterStore } from "../src/meter-store.js";
import { CONTENT_SECURITY_POLICY } from "../src/security.js";
import { Views } from "../src/snapshot.js";
import { SseHub } from "../src/sse-hub.js";

const clock = new ManualClock(Date.UTC(2026, 3, 3, 15, 54, 31));
const logger = silentLogger();
const store = new MeterStore({ clock, staleAfterMs: 30_000 });
const views = new Views(store, { currency: "EUR" });
const hub = new SseHub({ clock, logger, burst: new BurstLogger(logger, clock) });
const assets = loadAssets();
const health = () => ({ mqtt: true, meters: 1, clients: 0, rejected: 0, dropped_clients: 0 });

function serve(basicAuth?: { user: string; password: string }) {
  return new HttpServerComponent(createHttpApp({ assets, views, hub, health, basicAuth }), 0, "127.0.0.1");
}

const open = serve();
const locked = serve({ user: "kitchen", password: "correct horse" });
const url = (s: HttpServerComponent, path: string) => `http://127.0.0.1:${s.boundPort}${path}`;

beforeAll(async () => {
  await Promise.all([open.start(), locked.start()]);
  store.putReading("SAG1030700012701", buildReading({ values: { power_import_kw: 1.234 } }));
});
afterAll(async () => {
  await Promise.all([open.stop(), locked.stop()]);
  store.close();
});

describe("HTTP", () => {
  it("serves the page as text/html; charset=utf-8 under a strict Content-Security-Policy", async () => {
    const res = await fetch(url(open, "/"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe|https?:|\*/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-powered-by")).toBeNull();
    expect(await res.text()).toContain('<script type="module" src="/js/app.js"></script>');
  });

  it("serves every page file with its type and revalidates with an ETag", async () => {
    for (const [path, type] of [
      ["/app.css", "text/css; charset=utf-8"],
      ["/js/app.js", "text/javascript; charset=utf-8"],
      ["/icon.svg", "image/svg+xml; charset=utf-8"],
    ]) {
      const res = await fetch(url(open, path ?? ""));
      expect(res.headers.get("content-type")).toBe(type);
      const again = await fetch(url(open, path ?? ""), { headers: { "If-None-Match": res.headers.get("etag") ?? "" } });
      expect(again.status).toBe(304);
    }
  });

  it("answers 404 for anything that is not a page file, including paths that climb out", async () => {
    for (const path of ["/nope.js", "/../package.json", "/%2e%2e/src/main.ts", "/js/../../package.json"]) {
      expect((await fetch(url(open, path))).status).toBe(404);
    }
  });

  it("is read-only: other methods get 405", async () => {
    for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
      const res = await fetch(url(open, "/api/meters"), { method });
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("GET, HEAD");
    }
  });

  it("lists meters with the contract's reading JSON and their state", async () => {
    const body = (await (await fetch(url(open, "/api/meters"))).json()) as {
      meters: { id: string; state: string; reading: Record<string, unknown> }[];
    };
    expect(body.meters).toHaveLength(1);
    expect(body.meters[0]).toMatchObject({ id: "SAG1030700012701", state: "live" });
    // 1-0:1.7.0(01.234*kW)
    expect(body.meters[0]?.reading.power_import_kw).toBe(1.234);
  });

  it("answers HEAD /events without opening a stream", async () => {
    const res = await fetch(url(open, "/events"), { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(hub.size).toBe(0);
  });

  it("answers 404 with JSON for an unknown meter", async () => {
    const res = await fetch(url(open, "/api/meters/nobody/now"));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: "unknown meter" });
  });

  it("asks for basic auth everywhere but /healthz when credentials are configured", async () => {
    for (const path of ["/", "/app.css", "/events", "/api/meters"]) {
      const res = await fetch(url(locked, path));
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
    }
    expect((await fetch(url(locked, "/healthz"))).status).toBe(200);
    const good = `Basic ${Buffer.from("kitchen:correct horse").toString("base64")}`;
    const bad = `Basic ${Buffer.from("kitchen:wrong horse").toString("base64")}`;
    expect((await fetch(url(locked, "/api/meters"), { headers: { Authorization: good } })).status).toBe(200);
    expect((await fetch(url(locked, "/api/meters"), { headers: { Authorization: bad } })).status).toBe(401);
  });

  it("reports health with 200 while MQTT is connected", async () => {
    const res = await fetch(url(open, "/healthz"));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", mqtt: true });
  });
});
