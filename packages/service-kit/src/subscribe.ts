/**
 * The subscriber edge of every service, once: each route names a topic of the contracts' topic map; `subscribe`
 * registers its filter, checks the topic, hands an emptied retained topic to `cleared` (MQTT 3.1.1 §3.3.1.3),
 * validates the payload against the topic's schema, and counts and logs (once per burst) whatever it rejects. A
 * rejected message changes nothing already accepted. Resubscription after a broker restart is done by mqtt.js.
 */
import {
  decodeTopicMessage,
  type RejectReason,
  type TopicName,
  type TopicParams,
  type TopicPayload,
  topicMap,
} from "@smarty/contracts";
import type { BurstLogger } from "./burst-log.js";
import type { Logger } from "./logger.js";
import type { MessageHandler, MqttConnection } from "./mqtt-connection.js";

export interface RouteContext<R extends string = string> {
  readonly topic: string;
  readonly retained: boolean;
  /** Counts and logs the message as rejected for a reason of the service's own (a full store). */
  reject(reason: R, error: string): void;
}

type Result = void | Promise<void>;

export interface Route<N extends TopicName, R extends string = string> {
  /** A valid message: the decoded payload and the parameters of its topic. */
  readonly message: (value: TopicPayload<N>, params: TopicParams<N>, ctx: RouteContext<R>) => Result;
  /** The empty retained payload of a topic whose entry is `clear`: forget what was held for it. */
  readonly cleared?: (params: TopicParams<N>, ctx: RouteContext<R>) => Result;
  /** Retained messages are skipped (a command must not run again on every reconnect). */
  readonly skipRetained?: boolean;
}

/** A route bound to its topic, its types checked; what `subscribe` takes. */
export interface BoundRoute {
  readonly name: TopicName;
  readonly deliver: (base: string, payload: Buffer, ctx: RouteContext) => Result;
  readonly skipRetained: boolean;
  /** Hands the payload over undecoded (the notifier's commands answer a bad payload themselves). */
  readonly raw?: (payload: Buffer, ctx: RouteContext) => Result;
}

/** Binds handlers to topic `name`; their parameter and payload types come from the topic map. */
export function route<N extends TopicName, R extends string = string>(name: N, handlers: Route<N, R>): BoundRoute {
  return {
    name,
    skipRetained: handlers.skipRetained === true,
    deliver: (base, payload, ctx) => {
      const m = decodeTopicMessage(base, name, ctx.topic, payload);
      if (m.kind === "rejected") return ctx.reject(m.reason, m.error);
      if (m.kind === "cleared") return handlers.cleared?.(m.params, ctx as RouteContext<R>);
      return handlers.message(m.value, m.params, ctx as RouteContext<R>);
    },
  };
}

/** A route whose handler gets the payload as it came, after the topic check. */
export function rawRoute(name: TopicName, handler: (payload: Buffer, ctx: RouteContext) => Result): BoundRoute {
  return { name, skipRetained: true, deliver: () => undefined, raw: handler };
}

export interface SubscribeOptions {
  readonly connection: Pick<MqttConnection, "subscribe" | "baseTopic">;
  readonly routes: readonly BoundRoute[];
  readonly burst: BurstLogger;
  readonly logger: Logger;
  /** Counts one rejected message (the service's metric or /healthz counter). */
  readonly rejected?: (reason: RejectReason | string) => void;
}

export interface Subscription {
  /** Resolves once the broker acknowledged every filter (tests, start-up ordering); never rejects. */
  readonly subscribed: Promise<void>;
  /** Runs one message through its route, as the connection does (tests that bypass the broker). */
  deliver(name: TopicName, topic: string, payload: Buffer, retained?: boolean): Result;
}

/** Registers the routes without waiting for the broker, so a service serves while the broker is away. */
export function subscribe(options: SubscribeOptions): Subscription {
  const { connection, burst } = options;
  const base = connection.baseTopic;
  const reject = (topic: string) => (reason: string, error: string) => {
    options.rejected?.(reason);
    burst.warn(`rejected_${reason}`, { topic, reason, error }, "message rejected");
  };
  const run = (r: BoundRoute, topic: string, payload: Buffer, retained: boolean): Result => {
    if (retained && r.skipRetained) return undefined;
    const ctx: RouteContext = { topic, retained, reject: reject(topic) };
    if (!r.raw) return r.deliver(base, payload, ctx);
    if (topicMap[r.name].match(base, topic) === undefined) return ctx.reject("topic", `not a ${r.name} topic`);
    return r.raw(payload, ctx);
  };
  const filters = options.routes.map((r) => topicMap[r.name].filter(base));
  const handlers = options.routes.map(
    (r): MessageHandler =>
      (topic, payload, retained) =>
        run(r, topic, payload, retained),
  );
  const subscribed = Promise.all(filters.map((f, i) => connection.subscribe(f, handlers[i]!))).then(
    () => options.logger.info({ filters }, "subscribed"),
    // mqtt.js keeps the filters and subscribes again on every connect, so a broker that is away at start only
    // delays the subscription.
    (err: unknown) =>
      options.logger.warn({ err: { message: (err as Error).message } }, "subscribe deferred until connected"),
  );
  return {
    subscribed,
    deliver: (name, topic, payload, retained = false) => {
      const r = options.routes.find((x) => x.name === name);
      if (!r) throw new Error(`no route for ${name}`);
      return run(r, topic, payload, retained);
    },
  };
}
