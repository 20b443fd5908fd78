/**
 * Which Home Assistant discovery configs exist on the broker, and what to publish so that they match the meter:
 * - a config is (re)published when its payload differs from what this connection already sent;
 * - a config of a meter that no longer gives that entity (a line left the telegram, an M-Bus channel went) is
 *   removed with an empty retained message (https://www.home-assistant.io/integrations/mqtt/#mqtt-discovery: "an
 *   empty payload will remove a previously discovered entity") after `removeAfterReadings` readings in a row
 *   without it, so one odd telegram does not make entities come and go;
 * - the configs read back at start (the retained ones of this instance, isOwnDiscoveryConfig) take part the same way,
 *   so entities announced before a restart are removed too; with discovery off, all of them are removed at once.
 */
import { type DiscoveryOrigin, discoveryNodeId, homeAssistantDiscovery, isOwnDiscoveryConfig } from "@smarty/contracts";
import type { Reading } from "@smarty/p1";

export interface DiscoveryTrackerOptions {
  readonly baseTopic: string;
  readonly instance: string;
  readonly prefix: string;
  /** false: only clear what earlier runs announced. */
  readonly enabled: boolean;
  readonly expireAfterS?: number;
  readonly origin?: DiscoveryOrigin;
  /** Readings in a row without an entity before its config is removed. */
  readonly removeAfterReadings?: number;
}

/** Six telegrams: a minute on a Luxembourg meter (10 s interval, Luxmetering P1 spec v1.1.3), 6 s on DSMR 5. */
export const DEFAULT_REMOVE_AFTER_READINGS = 6;

interface Known {
  readonly node: string;
  missing: number;
}

/** The config topics a meter's last reading called for, and what they were built from. */
interface Layout {
  readonly signature: string;
  readonly topics: ReadonlySet<string>;
}

/**
 * Everything the discovery payloads of a reading depend on: the meter, its header and version, the state keys, each
 * M-Bus channel's medium, unit and fields, whether frames are encrypted. Values are not part of it: a meter's next
 * reading has the same signature, and its configs need not be built again (about 0.5 ms for a Lux telegram).
 */
function layoutSignature(reading: Reading, keys: ReadonlySet<string>): string {
  const mbus = reading.mbus.map((m) => [
    m.channel,
    m.medium,
    m.unit,
    Object.entries(m)
      .filter(([, v]) => v !== undefined)
      .map(([k]) => k),
  ]);
  return JSON.stringify([reading.meter_id, reading.header, reading.version, [...keys], mbus, !!reading.frame]);
}

export class DiscoveryTracker {
  /** Topic → payload sent on this broker connection. */
  private readonly announced = new Map<string, string>();
  /** Topic → meter node of every own config on the broker, as far as this process knows. */
  private readonly known = new Map<string, Known>();
  /** Meter node → the layout of its last reading on this broker connection. */
  private readonly layouts = new Map<string, Layout>();
  private readonly removeAfter: number;

  constructor(private readonly options: DiscoveryTrackerOptions) {
    this.removeAfter = options.removeAfterReadings ?? DEFAULT_REMOVE_AFTER_READINGS;
  }

  get enabled(): boolean {
    return this.options.enabled;
  }

  /** A new broker connection: announce everything again (the broker may have lost its retained messages). */
  connectionReset(): void {
    this.announced.clear();
    this.layouts.clear();
  }

  /** A retained config read back from the broker; only this instance's own are remembered. */
  retained(topic: string, payload: Buffer): void {
    const node = this.nodeOf(topic);
    if (node === undefined || payload.length === 0 || this.known.has(topic)) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload.toString("utf8"));
    } catch {
      return;
    }
    if (isOwnDiscoveryConfig(parsed, this.options.baseTopic, this.options.instance)) {
      this.known.set(topic, { node, missing: 0 });
    }
  }

  /** After the read-back: with discovery off, the empty messages that remove every own config. */
  restored(): [string, string][] {
    if (this.options.enabled) return [];
    const out = [...this.known.keys()].map((t): [string, string] => [t, ""]);
    this.known.clear();
    return out;
  }

  /** The discovery messages one reading calls for: new or changed configs, and removals. */
  forReading(reading: Reading, keys: ReadonlySet<string>): { out: [string, string][]; removed: number } {
    const out: [string, string][] = [];
    if (!this.options.enabled) return { out, removed: 0 };
    const o = this.options;
    const node = discoveryNodeId(reading.meter_id);
    const signature = layoutSignature(reading, keys);
    let layout = this.layouts.get(node);
    if (layout?.signature !== signature) {
      const messages = homeAssistantDiscovery(reading, {
        baseTopic: o.baseTopic,
        instance: o.instance,
        prefix: o.prefix,
        keys,
        ...(o.expireAfterS !== undefined ? { expireAfterS: o.expireAfterS } : {}),
        ...(o.origin ? { origin: o.origin } : {}),
      });
      for (const m of messages) {
        const json = JSON.stringify(m.payload);
        if (this.announced.get(m.topic) === json) continue;
        this.announced.set(m.topic, json);
        out.push([m.topic, json]);
      }
      layout = { signature, topics: new Set(messages.map((m) => m.topic)) };
      this.layouts.set(node, layout);
    }
    const current = layout.topics;
    for (const topic of current) this.known.set(topic, { node, missing: 0 });
    let removed = 0;
    for (const [topic, k] of this.known) {
      if (k.node !== node || current.has(topic)) continue;
      if (++k.missing < this.removeAfter) continue;
      this.known.delete(topic);
      this.announced.delete(topic);
      out.push([topic, ""]);
      removed++;
    }
    return { out, removed };
  }

  /** `<prefix>/sensor/<node>/<object>/config` → node; undefined for other topics. */
  private nodeOf(topic: string): string | undefined {
    const head = `${this.options.prefix}/sensor/`;
    if (!topic.startsWith(head)) return undefined;
    const parts = topic.slice(head.length).split("/");
    return parts.length === 3 && parts[2] === "config" && parts[0] ? parts[0] : undefined;
  }
}
