/**
 * What the ingest services last said about themselves: the retained health JSON (counters since their start) and
 * the retained status (`online`/`offline`, their Last Will). Kept per ingest instance; exported at scrape time.
 * Health counters are not expired: they are the ingest's own totals, and `smarty_ingest_up` tells whether the
 * service behind them is still alive.
 */
import type { IngestHealth, ServiceStatus } from "@smarty/contracts";

export interface IngestInstance {
  readonly instance: string;
  readonly health?: IngestHealth;
  readonly status?: ServiceStatus;
}

export class IngestStatus {
  private readonly instances = new Map<string, { health?: IngestHealth; status?: ServiceStatus }>();

  setHealth(instance: string, health: IngestHealth): void {
    this.entry(instance).health = health;
  }

  setStatus(instance: string, status: ServiceStatus): void {
    this.entry(instance).status = status;
  }

  /** An empty retained message removed the topic: forget what it said. */
  clearHealth(instance: string): void {
    const e = this.instances.get(instance);
    if (!e) return;
    e.health = undefined;
    if (!e.status) this.instances.delete(instance);
  }

  clearStatus(instance: string): void {
    const e = this.instances.get(instance);
    if (!e) return;
    e.status = undefined;
    if (!e.health) this.instances.delete(instance);
  }

  list(): IngestInstance[] {
    return [...this.instances]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([instance, e]) => ({ instance, ...e }));
  }

  private entry(instance: string): { health?: IngestHealth; status?: ServiceStatus } {
    let e = this.instances.get(instance);
    if (!e) {
      e = {};
      this.instances.set(instance, e);
    }
    return e;
  }
}
