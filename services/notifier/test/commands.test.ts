import type { PeriodKind } from "@smarty/contracts";
import { describe, expect, it } from "vitest";
import { runCommand } from "../src/commands.js";
import type { BotBackend } from "../src/ports.js";

function backend(): BotBackend & { muted: number | null; reports: PeriodKind[]; reportAt: (number | undefined)[] } {
  const b = {
    muted: null as number | null,
    reports: [] as PeriodKind[],
    reportAt: [] as (number | undefined)[],
    meters: () => [],
    latest: () => undefined,
    latestReceivedAt: () => undefined,
    statistics: () => undefined,
    ingestHealth: () => [],
    brokerConnected: () => true,
    activeAlerts: () => [],
    mute(ms: number) {
      b.muted = Date.parse("2026-06-10T10:00:00Z") + ms;
    },
    unmute() {
      b.muted = null;
    },
    mutedUntil: () => b.muted,
    requestReport(p: PeriodKind, at?: number) {
      b.reports.push(p);
      b.reportAt.push(at);
      return Promise.resolve(`The ${p} report is on its way (1 mail).`);
    },
  };
  return b;
}

describe("notifier commands", () => {
  it("sends a report now and echoes the transaction", async () => {
    const b = backend();
    expect(await runCommand(b, '{"command":"report","period":"week","transaction":"t1"}')).toEqual({
      status: "ok",
      data: { period: "week", message: "The week report is on its way (1 mail)." },
      transaction: "t1",
    });
    expect(b.reports).toEqual(["week"]);
    expect(b.reportAt).toEqual([undefined]);
  });

  it("sends the report of an earlier period when given a time inside it", async () => {
    const b = backend();
    const r = await runCommand(b, '{"command":"report","period":"day","at":"2026-03-28T12:00:00+01:00"}');
    expect(r).toMatchObject({ status: "ok", data: { period: "day" } });
    expect(b.reportAt).toEqual([Date.parse("2026-03-28T11:00:00Z")]);
    expect(await runCommand(b, '{"command":"report","period":"day","at":"yesterday"}')).toMatchObject({
      status: "error",
    });
  });

  it("mutes for a duration and unmutes", async () => {
    const b = backend();
    expect(await runCommand(b, '{"command":"mute","duration_s":1800}')).toEqual({
      status: "ok",
      data: { muted_until: "2026-06-10T12:30:00+02:00" },
    });
    expect(await runCommand(b, '{"command":"unmute"}')).toEqual({ status: "ok", data: { muted_until: null } });
  });

  it("refuses a mute longer than 30 days with an error reply and stays unmuted", async () => {
    const b = backend();
    for (const duration of [30 * 86_400 + 1, 1e300]) {
      expect(await runCommand(b, `{"command":"mute","duration_s":${duration},"transaction":"m1"}`)).toEqual({
        status: "error",
        error: "duration_s: at most 2592000 (30 days)",
        transaction: "m1",
      });
    }
    expect(b.muted).toBeNull();
    expect(await runCommand(b, `{"command":"mute","duration_s":${30 * 86_400}}`)).toMatchObject({ status: "ok" });
  });

  it("answers invalid commands with an error, keeping the transaction", async () => {
    expect(await runCommand(backend(), '{"command":"report","period":"year","transaction":"t2"}')).toMatchObject({
      status: "error",
      transaction: "t2",
    });
    expect(await runCommand(backend(), "not json")).toMatchObject({ status: "error" });
  });
});
