import { describe, expect, it } from "vitest";
import {
  formatAlertNotice,
  formatAlerts,
  formatNow,
  formatPeriod,
  formatStatus,
  presenceStatus,
} from "../../src/xmpp/answers.js";
import { alert, EXPORTING, IMPORTING, ingestHealth, NOW, STATISTICS } from "./support/samples.js";

describe("formatNow", () => {
  // Telegram time 260403175431S = 2026-04-03 17:54:31 CEST.
  const received = Date.parse("2026-04-03T17:54:32+02:00");

  it("shows net export, power per phase with export negative, and voltages", () => {
    expect(formatNow(EXPORTING, received, { now: received + 3000 })).toBe(
      [
        "Export 0.90 kW at 17:54:31",
        "L1 -0.32 · L2 -0.30 · L3 -0.28 kW (- = export)",
        "Voltage 231 · 229 · 230 V",
      ].join("\n"),
    );
  });

  it("shows import without the export note", () => {
    const at = Date.parse("2020-07-06T10:41:58+02:00");
    expect(formatNow(IMPORTING, at, { now: at })).toBe(
      ["Import 0.01 kW at 10:41:57", "L1 0.01 · L2 0.00 · L3 0.00 kW", "Voltage 233 · 0 · 1 V"].join("\n"),
    );
  });

  it("says how old a stale reading is", () => {
    const first = formatNow(EXPORTING, received, { now: received + 5 * 60_000 }).split("\n")[0];
    expect(first).toBe("Export 0.90 kW at 17:54:31 (5 min old)");
  });
});

describe("formatPeriod", () => {
  const ctx = { now: NOW };

  it("today: energy, cost, peak, yesterday and the pace against it", () => {
    // 18 of 24 hours gone: 8.4 / 0.75 = 11.2 kWh, against 12.1 kWh yesterday = -7.4 %.
    expect(formatPeriod("today", STATISTICS, ctx)).toBe(
      [
        "Today so far (since 00:00)",
        "Import 8.40 kWh · Export 1.20 kWh",
        "Cost 2.35 €",
        "Peak 3.21 kW (15 min) at 18:45",
        "Yesterday: 12.1 kWh, 3.38 €",
        "At this pace: 11.2 kWh (-7 %)",
      ].join("\n"),
    );
  });

  it("yesterday: the closed day with its date, export left out when zero", () => {
    expect(formatPeriod("yesterday", STATISTICS, ctx)).toBe(
      ["Yesterday (Thu 2 Apr)", "Import 12.1 kWh", "Cost 3.38 €", "Peak 4.02 kW (15 min) at Thu 2 Apr 19:15"].join(
        "\n",
      ),
    );
  });

  it("week: pace over the whole week against last week", () => {
    // 4 days 18 hours of 168 hours: 60 × 168 / 114 = 88.4 kWh, +4 % against 85 kWh.
    expect(formatPeriod("week", STATISTICS, ctx)).toBe(
      [
        "This week so far (since Mon 30 Mar)",
        "Import 60.0 kWh",
        "Cost 16.80 €",
        "Last week: 85.0 kWh, 23.80 €",
        "At this pace: 88.4 kWh (+4 %)",
      ].join("\n"),
    );
  });

  it("month: no pace while less than a tenth of the month is gone", () => {
    // 66 of 720 hours of April.
    expect(formatPeriod("month", STATISTICS, ctx)).toBe(
      ["This month so far (since Wed 1 Apr)", "Import 30.5 kWh", "Cost 8.54 €", "Last month: 350 kWh, 98.00 €"].join(
        "\n",
      ),
    );
  });

  it("answers plainly when there are no statistics", () => {
    expect(formatPeriod("today", undefined, ctx)).toBe("No statistics yet: waiting for meter readings.");
    expect(formatPeriod("yesterday", { ...STATISTICS, previous: { day: null, week: null, month: null } }, ctx)).toBe(
      "No data for yesterday.",
    );
  });
});

describe("formatStatus", () => {
  it("reports meter, ingest, broker and alerts", () => {
    const text = formatStatus(
      {
        meters: [{ id: "SAG1030700012701", receivedAt: NOW - 4000 }],
        ingest: [ingestHealth()],
        brokerConnected: true,
        activeAlerts: 1,
        mutedUntil: NOW + 2 * 3_600_000,
      },
      { now: NOW },
    );
    expect(text).toBe(
      [
        "Meter SAG1030700012701: online, last reading 4 s ago",
        "Ingest main: ok, 1234 frames",
        "Broker: connected",
        "Alerts: 1 active, muted until 20:00",
      ].join("\n"),
    );
  });

  it("makes a silent meter, a wrong key and a lost broker stand out", () => {
    const text = formatStatus(
      {
        meters: [{ id: "SAG1030700012701", receivedAt: NOW - 5 * 60_000 }],
        ingest: [ingestHealth({ state: "wrong_key", hint: "check SMARTY_KEY", authentication_failures: 17 })],
        brokerConnected: false,
        activeAlerts: 0,
        mutedUntil: null,
      },
      { now: NOW },
    );
    expect(text).toBe(
      [
        "Meter SAG1030700012701: SILENT, last reading 5 min ago",
        "Ingest main: wrong_key (check SMARTY_KEY), 1234 frames, 17 failed decryptions",
        "Broker: DISCONNECTED",
        "Alerts: 0 active",
      ].join("\n"),
    );
  });
});

describe("alerts", () => {
  const high = alert({ id: "power_high", severity: "warning", message: "Power import above 7 kW for 5 min" });
  const silent = alert({
    id: "meter_silent",
    severity: "critical",
    message: "Meter silent",
    since: "2026-04-02T23:10:00+02:00",
  });

  it("lists active alerts, most severe first, with the mute", () => {
    expect(formatAlerts([high, silent], NOW + 3_600_000, { now: NOW })).toBe(
      [
        "2 active:",
        "- [critical] Meter silent (since Thu 2 Apr 23:10)",
        "- [warning] Power import above 7 kW for 5 min (since 17:40)",
        "Muted until 19:00.",
      ].join("\n"),
    );
    expect(formatAlerts([], null, { now: NOW })).toBe("No active alerts.");
  });

  it("words a pushed alert and its clearing", () => {
    expect(formatAlertNotice(high, { now: NOW })).toBe("[warning] Power import above 7 kW for 5 min (since 17:40)");
    expect(formatAlertNotice({ ...high, state: "cleared" }, { now: NOW })).toBe(
      "[cleared] Power import above 7 kW for 5 min",
    );
  });
});

describe("presenceStatus", () => {
  it("is the net power with one decimal, or why there is none", () => {
    expect(presenceStatus(EXPORTING, NOW, NOW)).toBe("0.9 kW export");
    expect(presenceStatus(IMPORTING, NOW, NOW)).toBe("0.0 kW import");
    expect(presenceStatus(EXPORTING, NOW - 120_000, NOW)).toBe("meter silent");
    expect(presenceStatus(undefined, undefined, NOW)).toBe("waiting for the meter");
    expect(presenceStatus(EXPORTING, NOW, NOW, "coarse")).toBe("meter online");
    expect(presenceStatus(EXPORTING, NOW - 120_000, NOW, "coarse")).toBe("meter silent");
  });
});

describe("answers in the household's language", () => {
  const received = Date.parse("2026-04-03T17:54:32+02:00");

  it("fr: decimal comma, French words, dates as written in French", () => {
    expect(formatNow(EXPORTING, received, { now: received + 3000, language: "fr" })).toBe(
      [
        "Injection 0,90 kW à 17:54:31",
        "L1 -0,32 · L2 -0,30 · L3 -0,28 kW (- = injection)",
        "Tension 231 · 229 · 230 V",
      ].join("\n"),
    );
    expect(formatPeriod("today", STATISTICS, { now: NOW, language: "fr" })).toBe(
      [
        "Aujourd'hui jusqu'ici (depuis 00:00)",
        "Consommation 8,40 kWh · Injection 1,20 kWh",
        "Coût 2,35 €",
        "Pointe 3,21 kW (15 min) à 18:45",
        "Hier : 12,1 kWh, 3,38 €",
        "À ce rythme : 11,2 kWh (-7 %)",
      ].join("\n"),
    );
    expect(formatPeriod("yesterday", STATISTICS, { now: NOW, language: "fr" }).split("\n")[0]).toBe(
      "Hier (jeudi 2 avril)",
    );
  });

  it("lb and de: Luxembourgish and German words and dates", () => {
    expect(formatPeriod("month", STATISTICS, { now: NOW, language: "lb" }).split("\n")).toEqual([
      "Dëse Mount bis elo (zënter Mëttwoch, 1. Abrëll)",
      "Verbrauch 30,5 kWh",
      "Käschten 8,54 €",
      "Leschte Mount: 350 kWh, 98,00 €",
    ]);
    expect(formatPeriod("yesterday", STATISTICS, { now: NOW, language: "de" }).split("\n")).toEqual([
      "Gestern (Donnerstag, 2. April)",
      "Verbrauch 12,1 kWh",
      "Kosten 3,38 €",
      "Spitze 4,02 kW (15 Min.) um Donnerstag, 2. April 19:15",
    ]);
  });

  it("presence and alerts follow the language too", () => {
    expect(presenceStatus(EXPORTING, received, received, "live", "de")).toBe("0,9 kW Einspeisung");
    expect(formatAlerts([], null, { now: NOW, language: "fr" })).toBe("Aucune alerte active.");
  });
});
