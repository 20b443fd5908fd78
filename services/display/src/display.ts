/**
 * Builds the display from its configuration: store, MQTT subscriber, SSE hub and HTTP server, wired so that every
 * change of the store is pushed to the open pages. Tests build it with a ManualClock and port 0.
 */
import {
  BurstLogger,
  type Clock,
  type Component,
  HttpServerComponent,
  type Logger,
  MqttConnection,
  mqttSettings,
  systemClock,
} from "@smarty/service-kit";
import { type Asset, loadAssets } from "./assets.js";
import type { DisplayConfig } from "./config.js";
import { createHttpApp } from "./http.js";
import { MeterStore } from "./meter-store.js";
import { Views } from "./snapshot.js";
import { SseHub, type SseHubOptions } from "./sse-hub.js";
import { DisplaySubscriber } from "./subscriber.js";

export interface DisplayDeps {
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Page files; default: read from services/display/public/. */
  readonly assets?: ReadonlyMap<string, Asset>;
  readonly sse?: Pick<SseHubOptions, "heartbeatMs" | "maxBufferedBytes" | "maxClients" | "maxPerClient">;
  readonly mqttClientId?: string;
}

export interface Display {
  readonly components: readonly Component[];
  readonly store: MeterStore;
  readonly views: Views;
  readonly hub: SseHub;
  readonly subscriber: DisplaySubscriber;
  readonly connection: MqttConnection;
  readonly http: HttpServerComponent;
}

export function createDisplay(config: DisplayConfig, deps: DisplayDeps): Display {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger;
  const burst = new BurstLogger(logger.child({ component: "display" }), clock);
  const store = new MeterStore({ clock, staleAfterMs: config.DISPLAY_STALE_AFTER });
  const views = new Views(store, {
    powerClassW: config.DISPLAY_POWER_CLASS_KW === undefined ? undefined : config.DISPLAY_POWER_CLASS_KW * 1000,
    pricePerKwh: config.DISPLAY_PRICE_PER_KWH,
    currency: config.DISPLAY_CURRENCY,
  });
  const hub = new SseHub({ clock, logger, burst, maxPerClient: config.DISPLAY_MAX_STREAMS_PER_CLIENT, ...deps.sse });
  const connection = new MqttConnection({
    settings: mqttSettings(config),
    service: "display",
    instance: config.SMARTY_INSTANCE,
    logger,
    ...(deps.mqttClientId ? { clientId: deps.mqttClientId } : {}),
  });
  const subscriber = new DisplaySubscriber({ connection, store, burst, logger });

  store.on("meter", (id, change) => {
    const update = views.update(id, change === "reading");
    if (update) hub.broadcast("meter", update);
  });
  store.on("remove", (id) => hub.broadcast("remove", { id }));
  store.on("ingest", () => hub.broadcast("ingest", { ingest: views.ingest() }));

  const app = createHttpApp({
    assets: deps.assets ?? loadAssets(),
    views,
    hub,
    allowedHosts: config.DISPLAY_ALLOWED_HOSTS,
    basicAuth:
      config.DISPLAY_BASIC_AUTH_USER !== undefined && config.DISPLAY_BASIC_AUTH_PASSWORD !== undefined
        ? { user: config.DISPLAY_BASIC_AUTH_USER, password: config.DISPLAY_BASIC_AUTH_PASSWORD }
        : undefined,
    health: () => ({
      mqtt: connection.connected,
      meters: store.meterList().length,
      clients: hub.size,
      rejected: subscriber.rejectedTotal,
      dropped_clients: hub.dropped,
    }),
  });
  const http = new HttpServerComponent(app, config.DISPLAY_PORT, config.DISPLAY_HOST, "http");
  const storeComponent: Component = {
    name: "store",
    start: () => undefined,
    stop: () => {
      store.close();
      burst.flush();
    },
  };
  return {
    components: [storeComponent, hub, http, connection, subscriber],
    store,
    views,
    hub,
    subscriber,
    connection,
    http,
  };
}
