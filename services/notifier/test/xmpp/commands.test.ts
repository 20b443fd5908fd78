import { describe, expect, it } from "vitest";
import { HELP, parseCommand, runCommand } from "../../src/xmpp/commands.js";
import { alert, FakeBackend, NOW } from "./support/samples.js";

describe("parseCommand", () => {
  it("is case-insensitive and forgiving about spaces and a leading slash", () => {
    expect(parseCommand("  NOW ")).toEqual({ name: "now" });
    expect(parseCommand("/Status")).toEqual({ name: "status" });
    expect(parseCommand("Today")).toEqual({ name: "period", period: "today" });
    expect(parseCommand("help")).toEqual({ name: "help" });
    expect(parseCommand("?")).toEqual({ name: "help" });
  });

  it("reads mute durations, a bare number as minutes", () => {
    expect(parseCommand("mute 2h")).toEqual({ name: "mute", durationMs: 7_200_000 });
    expect(parseCommand("Mute 30")).toEqual({ name: "mute", durationMs: 1_800_000 });
    expect(parseCommand("mute 45min")).toEqual({ name: "mute", durationMs: 2_700_000 });
    expect(parseCommand("mute 1d")).toEqual({ name: "mute", durationMs: 86_400_000 });
  });

  it("answers with usage for a missing, unreadable or out-of-range mute", () => {
    for (const text of ["mute", "mute soon", "mute 10s", "mute 60d"]) {
      expect(parseCommand(text).name, text).toBe("usage");
    }
  });

  it("reads report periods, day by default", () => {
    expect(parseCommand("report")).toEqual({ name: "report", period: "day" });
    expect(parseCommand("report WEEK")).toEqual({ name: "report", period: "week" });
    expect(parseCommand("report monthly")).toEqual({ name: "report", period: "month" });
    expect(parseCommand("report year").name).toBe("usage");
  });

  it("names an unknown word", () => {
    expect(parseCommand("hello there")).toEqual({ name: "unknown", word: "hello" });
  });
});

describe("runCommand", () => {
  const ctx = { now: NOW };

  it("help lists every command", async () => {
    const text = await runCommand({ name: "help" }, new FakeBackend(() => NOW), ctx);
    expect(text).toBe(HELP);
    for (const word of ["now", "today", "yesterday", "week", "month", "status", "alerts", "mute", "unmute", "report"]) {
      expect(text).toContain(word);
    }
  });

  it("an unknown command points to help", async () => {
    expect(await runCommand(parseCommand("hello"), new FakeBackend(() => NOW), ctx)).toBe(
      'Unknown command "hello". Send help for the list.',
    );
  });

  it("now without any reading says so", async () => {
    const backend = new FakeBackend(() => NOW);
    backend.reading = undefined;
    expect(await runCommand({ name: "now" }, backend, ctx)).toBe("No reading yet: is the meter connected?");
  });

  it("mute and unmute go to the core and say until when", async () => {
    const backend = new FakeBackend(() => NOW);
    expect(await runCommand(parseCommand("mute 2h"), backend, ctx)).toBe("Alerts muted for 2h, until 20:00.");
    expect(backend.mutedUntil()).toBe(NOW + 7_200_000);
    expect(await runCommand({ name: "unmute" }, backend, ctx)).toBe("Alerts unmuted.");
    expect(backend.mutedUntil()).toBeNull();
    expect(await runCommand({ name: "unmute" }, backend, ctx)).toBe("Alerts were not muted.");
  });

  it("alerts counts only active ones in status", async () => {
    const backend = new FakeBackend(() => NOW);
    backend.alerts = [
      alert({ id: "a", severity: "warning", message: "A" }),
      alert({ id: "b", severity: "info", message: "B", state: "cleared" }),
    ];
    expect(await runCommand({ name: "status" }, backend, ctx)).toContain("Alerts: 1 active");
    expect(await runCommand({ name: "alerts" }, backend, ctx)).toBe("1 active:\n- [warning] A (since 17:40)");
  });

  it("report asks the core and relays its answer or a short failure", async () => {
    const backend = new FakeBackend(() => NOW);
    expect(await runCommand(parseCommand("report week"), backend, ctx)).toBe("Daily report sent to 1 recipient.");
    expect(backend.reports).toEqual(["week"]);
    backend.reportAnswer = new Error("SMTP server unreachable");
    expect(await runCommand(parseCommand("report"), backend, ctx)).toBe(
      "Could not send the day report: SMTP server unreachable",
    );
  });
});

describe("runCommand in the household's language", () => {
  it("answers help, usage, unknown words and mute in French, with the English command words", async () => {
    const ctx = { now: NOW, language: "fr" as const };
    const backend = new FakeBackend(() => NOW);
    const help = await runCommand({ name: "help" }, backend, ctx);
    expect(help.split("\n")[0]).toBe("Commandes :");
    expect(help).toContain("today, yesterday, week, month - consommation, coût, pointe");
    expect(await runCommand(parseCommand("mute"), backend, ctx)).toMatch(/^Usage : mute <durée>/);
    expect(await runCommand(parseCommand("bonjour"), backend, ctx)).toBe(
      "Commande inconnue « bonjour ». Envoyez help pour la liste.",
    );
    expect(await runCommand(parseCommand("unmute"), backend, ctx)).toBe("Les alertes n'étaient pas en sourdine.");
  });

  it("answers in Luxembourgish", async () => {
    const backend = new FakeBackend(() => NOW);
    backend.reading = undefined;
    expect(await runCommand({ name: "now" }, backend, { now: NOW, language: "lb" })).toBe(
      "Nach keng Moossung: ass den Zieler ugeschloss?",
    );
  });
});
