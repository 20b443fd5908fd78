import { describe, expect, it } from "vitest";
import {
  dayStarts,
  isoWeek,
  localClock,
  localToUtc,
  periodEnd,
  periodLabel,
  periodStart,
  previousPeriodStart,
} from "../src/calendar.js";

const H = 3_600_000;
const utc = (s: string) => Date.parse(s);

describe("Luxembourg calendar", () => {
  it("gives the October change day (2026-10-25) 25 hours", () => {
    const start = periodStart("day", utc("2026-10-25T12:00:00Z"));
    expect(start).toBe(utc("2026-10-24T22:00:00Z"));
    expect(periodEnd("day", start)).toBe(utc("2026-10-25T23:00:00Z"));
    expect((periodEnd("day", start) - start) / H).toBe(25);
  });

  it("gives the March change day (2026-03-29) 23 hours", () => {
    const start = periodStart("day", utc("2026-03-29T05:00:00Z"));
    expect(start).toBe(utc("2026-03-28T23:00:00Z"));
    expect((periodEnd("day", start) - start) / H).toBe(23);
  });

  it("starts weeks on Monday and months on the 1st in local time", () => {
    const t = utc("2026-10-25T12:00:00Z"); // a Sunday
    expect(periodStart("week", t)).toBe(utc("2026-10-18T22:00:00Z"));
    expect(periodEnd("week", periodStart("week", t))).toBe(utc("2026-10-25T23:00:00Z"));
    expect(periodStart("month", t)).toBe(utc("2026-09-30T22:00:00Z"));
    expect(periodEnd("month", periodStart("month", t))).toBe(utc("2026-10-31T23:00:00Z"));
    expect(periodEnd("month", utc("2026-11-30T23:00:00Z"))).toBe(utc("2026-12-31T23:00:00Z"));
  });

  it("puts the last local hour of a day in that day", () => {
    expect(periodStart("day", utc("2026-07-06T21:59:59Z"))).toBe(utc("2026-07-05T22:00:00Z"));
    expect(periodStart("day", utc("2026-07-06T22:00:00Z"))).toBe(utc("2026-07-06T22:00:00Z"));
  });

  it("labels periods with ISO weeks", () => {
    expect(periodLabel("day", utc("2026-10-24T22:00:00Z"))).toBe("2026-10-25");
    expect(periodLabel("week", utc("2026-10-18T22:00:00Z"))).toBe("2026-W43");
    expect(periodLabel("month", utc("2026-09-30T22:00:00Z"))).toBe("2026-10");
    expect(isoWeek(2027, 1, 1)).toEqual({ year: 2026, week: 53 });
    expect(isoWeek(2026, 1, 1)).toEqual({ year: 2026, week: 1 });
  });

  it("maps local wall-clock times to UTC on both sides of a change", () => {
    expect(localToUtc(2026, 10, 25, 2, 30)).toBe(utc("2026-10-25T00:30:00Z")); // first (summer) 02:30
    expect(localToUtc(2026, 10, 25, 4, 0)).toBe(utc("2026-10-25T03:00:00Z"));
    expect(localToUtc(2026, 3, 29, 4, 0)).toBe(utc("2026-03-29T02:00:00Z"));
    expect(localClock(utc("2026-10-25T17:00:00Z"))).toBe("18:00");
  });

  it("lists the local days of a period and finds the previous period", () => {
    const week = utc("2026-10-18T22:00:00Z");
    expect(dayStarts(week, periodEnd("week", week))).toHaveLength(7);
    expect(previousPeriodStart("month", utc("2026-09-30T22:00:00Z"))).toBe(utc("2026-08-31T22:00:00Z"));
    expect(previousPeriodStart("day", utc("2026-10-25T23:00:00Z"))).toBe(utc("2026-10-24T22:00:00Z"));
  });
});
