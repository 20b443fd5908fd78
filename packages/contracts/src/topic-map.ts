/**
 * The MQTT edge in one table: each topic of the tree (topics.ts) paired with its payload schema, its encoding, its
 * retain flag and what an empty retained payload means there. Subscribers (service-kit `subscribe`) and publishers
 * (`MqttConnection.send`) both go through it, so a payload that does not fit its topic does not compile.
 *
 * Empty payloads: publishing an empty retained message deletes the retained message of that topic (MQTT 3.1.1
 * §3.3.1.3). On a topic marked `clear` it means "this meter / instance / alert is gone", and a subscriber forgets
 * what it held for it; it is never a decoding error there.
 */
import type { Reading } from "@smarty/p1";
import { z } from "zod";
import { type DecodeResult, decodePayload, decodeText } from "./codec.js";
import {
  type Alert,
  alertSchema,
  type CommandResponse,
  commandResponseSchema,
  type IngestHealth,
  ingestHealthSchema,
  type NotifierCommand,
  notifierCommandSchema,
  readingSchema,
  type ServiceStatus,
  type Statistics,
  statisticsSchema,
  statusSchema,
} from "./payloads.js";
import { filters, type ParsedTopic, parseTopic, topicSegment, topics } from "./topics.js";

/** What an empty payload on the topic means: the retained value was removed, or nothing at all (not retained). */
export type EmptyPayload = "clear" | "none";

export interface TopicEntry<Params, Value> {
  /** Subscription filter covering every topic of this entry under `base`. */
  readonly filter: (base: string) => string;
  /** The topic a message with these parameters is published on. */
  readonly topic: (base: string, params: Params) => string;
  /** The parameters of a received topic; undefined when the topic is not one of this entry. */
  readonly match: (base: string, topic: string) => Params | undefined;
  readonly decode: (payload: Uint8Array) => DecodeResult<Value>;
  readonly encode: (value: Value) => string;
  /** A decoded value that contradicts its topic (reason "topic"); undefined when they agree. */
  readonly check?: (params: Params, value: Value) => string | undefined;
  readonly empty: EmptyPayload;
  readonly retain: boolean;
}

interface MeterParams {
  readonly meterId: string;
}
interface StateParams {
  readonly meterId: string;
  readonly key: string;
}
interface InstanceParams {
  readonly instance: string;
}
interface AlertParams {
  readonly meterId: string;
  readonly alertId: string;
}

const json =
  <S extends z.ZodType, V>(schema: S) =>
  (payload: Uint8Array): DecodeResult<V> =>
    decodePayload(schema, payload) as DecodeResult<V>;
const encodeJson = (value: unknown): string => JSON.stringify(value);

/** Every topic a service subscribes to or publishes a schema-checked payload on. */
export const topicMap = {
  reading: {
    filter: filters.readings,
    topic: (base, p) => topics.reading(base, p.meterId),
    match: (base, topic) => only(parseTopic(base, topic), "reading"),
    decode: json<typeof readingSchema, Reading>(readingSchema),
    encode: encodeJson,
    // A reading published under another meter's topic would otherwise be counted for the wrong meter.
    check: (p, reading) =>
      topicSegment(reading.meter_id) === p.meterId
        ? undefined
        : `meter_id '${reading.meter_id.slice(0, 64)}' does not match the topic`,
    empty: "clear",
    retain: true,
  } satisfies TopicEntry<MeterParams, Reading>,
  /** One value of a reading, already encoded as plain text by `encodeStateValue` (state.ts). */
  state: {
    filter: (base) => `${base}/+/state/+`,
    topic: (base, p) => topics.state(base, p.meterId, p.key),
    match: (base, topic) => only(parseTopic(base, topic), "state"),
    decode: (payload) => decodeText(z.string(), payload),
    encode: (value) => value,
    empty: "clear",
    retain: true,
  } satisfies TopicEntry<StateParams, string>,
  statistics: {
    filter: filters.statistics,
    topic: (base, p) => topics.statistics(base, p.meterId),
    match: (base, topic) => only(parseTopic(base, topic), "statistics"),
    decode: json<typeof statisticsSchema, Statistics>(statisticsSchema),
    encode: encodeJson,
    empty: "clear",
    retain: true,
  } satisfies TopicEntry<MeterParams, Statistics>,
  alert: {
    filter: filters.alerts,
    topic: (base, p) => topics.alert(base, p.meterId, p.alertId),
    match: (base, topic) => only(parseTopic(base, topic), "alert"),
    decode: json<typeof alertSchema, Alert>(alertSchema),
    encode: encodeJson,
    empty: "clear",
    retain: true,
  } satisfies TopicEntry<AlertParams, Alert>,
  ingestStatus: {
    filter: (base) => filters.status(base, "ingest"),
    topic: (base, p) => topics.status(base, "ingest", p.instance),
    match: (base, topic) => ingest(only(parseTopic(base, topic), "status")),
    decode: (payload) => decodeText(statusSchema, payload),
    encode: (value) => value,
    empty: "clear",
    retain: true,
  } satisfies TopicEntry<InstanceParams, ServiceStatus>,
  ingestHealth: {
    filter: (base) => filters.health(base, "ingest"),
    topic: (base, p) => topics.health(base, "ingest", p.instance),
    match: (base, topic) => ingest(only(parseTopic(base, topic), "health")),
    decode: json<typeof ingestHealthSchema, IngestHealth>(ingestHealthSchema),
    encode: encodeJson,
    empty: "clear",
    retain: true,
  } satisfies TopicEntry<InstanceParams, IngestHealth>,
  notifierCommand: {
    filter: topics.notifierCommand,
    topic: (base) => topics.notifierCommand(base),
    match: (base, topic) => (parseTopic(base, topic)?.type === "command" ? {} : undefined),
    decode: json<typeof notifierCommandSchema, NotifierCommand>(notifierCommandSchema),
    encode: encodeJson,
    empty: "none",
    retain: false,
  } satisfies TopicEntry<Record<string, never>, NotifierCommand>,
  notifierResponse: {
    filter: topics.notifierResponse,
    topic: (base) => topics.notifierResponse(base),
    match: (base, topic) => (parseTopic(base, topic)?.type === "response" ? {} : undefined),
    decode: json<typeof commandResponseSchema, CommandResponse>(commandResponseSchema),
    encode: encodeJson,
    empty: "none",
    retain: false,
  } satisfies TopicEntry<Record<string, never>, CommandResponse>,
} as const;

export type TopicMap = typeof topicMap;
export type TopicName = keyof TopicMap;
export type TopicParams<N extends TopicName> = NonNullable<ReturnType<TopicMap[N]["match"]>>;
export type TopicPayload<N extends TopicName> =
  ReturnType<TopicMap[N]["decode"]> extends DecodeResult<infer V> ? V : never;

/** A message ready for the wire: topic, encoded payload and retain flag of its entry. */
export interface TopicMessage {
  readonly topic: string;
  readonly payload: string;
  readonly retain: boolean;
}

/** Builds the message of topic `name`; the payload must be that topic's type. */
export function topicMessage<N extends TopicName>(
  base: string,
  name: N,
  params: TopicParams<N>,
  value: TopicPayload<N>,
): TopicMessage {
  const entry = topicMap[name] as unknown as TopicEntry<TopicParams<N>, TopicPayload<N>>;
  return { topic: entry.topic(base, params), payload: entry.encode(value), retain: entry.retain };
}

export type RejectReason = "topic" | "too_large" | "json" | "schema";

/** A received message classified against its entry. */
export type TopicDelivery<N extends TopicName> =
  | { readonly kind: "message"; readonly params: TopicParams<N>; readonly value: TopicPayload<N> }
  | { readonly kind: "cleared"; readonly params: TopicParams<N> }
  | { readonly kind: "rejected"; readonly reason: RejectReason; readonly error: string };

/**
 * Classifies a message received for topic `name`: topic check, the empty payload of a `clear` topic, size, JSON,
 * schema, and the value agreeing with its topic. Never throws.
 */
export function decodeTopicMessage<N extends TopicName>(
  base: string,
  name: N,
  topic: string,
  payload: Uint8Array,
): TopicDelivery<N> {
  const entry = topicMap[name] as unknown as TopicEntry<TopicParams<N>, TopicPayload<N>>;
  const params = entry.match(base, topic);
  if (params === undefined) return { kind: "rejected", reason: "topic", error: `not a ${name} topic` };
  if (payload.length === 0 && entry.empty === "clear") return { kind: "cleared", params };
  const decoded = entry.decode(payload);
  if (!decoded.ok) return { kind: "rejected", reason: decoded.reason, error: decoded.error };
  const mismatch = entry.check?.(params, decoded.value);
  if (mismatch !== undefined) return { kind: "rejected", reason: "topic", error: mismatch };
  return { kind: "message", params, value: decoded.value };
}

function only<T extends ParsedTopic["type"]>(
  parsed: ParsedTopic | undefined,
  type: T,
): Omit<Extract<ParsedTopic, { type: T }>, "type"> | undefined {
  if (parsed?.type !== type) return undefined;
  const { type: _type, ...params } = parsed as Extract<ParsedTopic, { type: T }>;
  return params;
}

function ingest(p: { service: string; instance: string } | undefined): InstanceParams | undefined {
  return p?.service === "ingest" ? { instance: p.instance } : undefined;
}
