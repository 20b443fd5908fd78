/**
 * The soak's own MQTT subscriber: a persistent session (clean=false, QoS 1) on a broker with persistence, so it
 * misses nothing across broker restarts. It records every reading by frame counter, the statistics the notifier
 * publishes (the closed day of each meter), every alert state and the replies to report commands.
 */
import mqtt, { type MqttClient } from "mqtt";

export interface DayStats {
  readonly start: number;
  readonly importKwh: number | null;
  readonly exportKwh: number | null;
  readonly readings: number;
}

export interface AlertEpisode {
  readonly meterId: string;
  readonly id: string;
  readonly rule: string;
  readonly severity: string;
  readonly since: string;
  readonly message: string;
  cleared: boolean;
  clearMessage?: string;
}

interface PeriodJson {
  start: string;
  energy_import_kwh: number | null;
  energy_export_kwh: number | null;
  readings: number;
  last_reading_at?: string | null;
}

export class Recorder {
  private client: MqttClient | undefined;
  /** meter id → handler of a reading's frame counter. */
  private readonly readingHandlers = new Map<string, (frameCounter: number, redelivered: boolean) => void>();
  /** meter id → closed days by start. */
  readonly closedDays = new Map<string, Map<number, DayStats>>();
  /** meter id → start of the notifier's current day and time of its last reading. */
  readonly notifierDay = new Map<string, { start: number; lastReadingAt: number }>();
  /** `meter/id` → episodes in order of `since`. */
  readonly alerts = new Map<string, AlertEpisode[]>();
  readonly responses: unknown[] = [];
  readingsWithoutCounter = 0;

  constructor(
    private readonly url: string,
    private readonly base = "smarty",
  ) {}

  /** `redelivered`: the broker sent it again to this session (MQTT DUP flag), not a new publication. */
  onReadings(meterId: string, handler: (frameCounter: number, redelivered: boolean) => void): void {
    this.readingHandlers.set(meterId, handler);
  }

  async start(): Promise<void> {
    const c = await mqtt.connectAsync(this.url, {
      clientId: "smarty-soak-recorder",
      clean: false,
      reconnectPeriod: 250,
      protocolVersion: 4,
    });
    this.client = c;
    c.on("error", () => undefined);
    c.on("message", (topic, payload, packet) => this.message(topic, payload, packet.retain, packet.dup));
    const b = this.base;
    await c.subscribeAsync([`${b}/+/reading`, `${b}/+/statistics`, `${b}/alerts/#`, `${b}/notifier/cmd/response`], {
      qos: 1,
    });
  }

  publish(topic: string, payload: string): Promise<unknown> {
    if (!this.client) throw new Error("recorder not started");
    return this.client.publishAsync(topic, payload, { qos: 1 });
  }

  async stop(): Promise<void> {
    await this.client?.endAsync();
  }

  private message(topic: string, payload: Buffer, retained: boolean, dup: boolean): void {
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(payload.toString()) as Record<string, unknown>;
    } catch {
      return;
    }
    const parts = topic.split("/");
    if (parts[1] === "alerts") {
      this.alert(json);
      return;
    }
    if (parts[1] === "notifier") {
      this.responses.push(json);
      return;
    }
    if (parts[2] === "reading") {
      // A retained reading re-sent on (re)subscription is not a new publication.
      if (retained) return;
      const fc = (json.frame as { frame_counter?: number } | undefined)?.frame_counter;
      if (typeof fc !== "number") {
        this.readingsWithoutCounter++;
        return;
      }
      this.readingHandlers.get(String(json.meter_id))?.(fc, dup);
      return;
    }
    if (parts[2] === "statistics") this.statistics(json);
  }

  private statistics(json: Record<string, unknown>): void {
    const meterId = String(json.meter_id);
    const current = (json.current as { day?: PeriodJson } | undefined)?.day;
    const previous = (json.previous as { day?: PeriodJson | null } | undefined)?.day;
    if (current) {
      const last = current.last_reading_at ? Date.parse(current.last_reading_at) : 0;
      const seen = this.notifierDay.get(meterId);
      if (!seen || last >= seen.lastReadingAt) {
        this.notifierDay.set(meterId, { start: Date.parse(current.start), lastReadingAt: last });
      }
    }
    if (previous) {
      const days = this.closedDays.get(meterId) ?? new Map<number, DayStats>();
      this.closedDays.set(meterId, days);
      const start = Date.parse(previous.start);
      days.set(start, {
        start,
        importKwh: previous.energy_import_kwh,
        exportKwh: previous.energy_export_kwh,
        readings: previous.readings,
      });
    }
  }

  private alert(json: Record<string, unknown>): void {
    const meterId = String(json.meter_id);
    const id = String(json.id);
    const key = `${meterId}/${id}`;
    const list = this.alerts.get(key) ?? [];
    this.alerts.set(key, list);
    const since = String(json.since);
    let ep = list.find((e) => e.since === since);
    if (!ep) {
      ep = {
        meterId,
        id,
        rule: String(json.rule),
        severity: String(json.severity),
        since,
        message: String(json.message),
        cleared: false,
      };
      list.push(ep);
      list.sort((a, b) => Date.parse(a.since) - Date.parse(b.since));
    }
    if (json.state === "cleared") {
      ep.cleared = true;
      ep.clearMessage = String(json.message);
    }
  }
}
