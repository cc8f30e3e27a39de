import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

// Every bucket boundary of the server's histograms, in one place (seconds).
export const METRIC_BUCKETS = {
  graphql: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  append: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  batch: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
} as const;

/** What projection progress looks like at scrape time (set by the projections, read on each scrape). */
export interface ProjectionGauges {
  position(): number;
  lagEvents(): number;
  lagSeconds(): number;
  /** Measures the lag again (reads the store's head); called before each scrape. */
  refresh(): Promise<void>;
}

/**
 * The server's Prometheus metrics on a registry of its own (never the global
 * one, so two servers in one process, as in the tests, do not collide).
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly graphqlDuration = new Histogram({
    name: 'trustline_graphql_request_duration_seconds',
    help: 'GraphQL operations, from parsing to the response, by operation name and type',
    labelNames: ['operation', 'type'] as const,
    buckets: [...METRIC_BUCKETS.graphql],
    registers: [this.registry],
  });
  readonly graphqlErrors = new Counter({
    name: 'trustline_graphql_errors_total',
    help: 'GraphQL errors answered, by extensions.code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly appendDuration = new Histogram({
    name: 'trustline_event_store_append_duration_seconds',
    help: 'Appends to the event store, successful or not',
    labelNames: ['outcome'] as const,
    buckets: [...METRIC_BUCKETS.append],
    registers: [this.registry],
  });
  readonly eventsAppended = new Counter({
    name: 'trustline_events_appended_total',
    help: 'Events this process appended to the event store',
    registers: [this.registry],
  });
  readonly batchDuration = new Histogram({
    name: 'trustline_projection_batch_duration_seconds',
    help: 'Projection batches committed to the read models',
    buckets: [...METRIC_BUCKETS.batch],
    registers: [this.registry],
  });
  readonly subscriptions = new Gauge({
    name: 'trustline_graphql_subscriptions',
    help: 'GraphQL subscriptions open now',
    registers: [this.registry],
  });
  private projection: ProjectionGauges | null = null;

  constructor() {
    const projectionGauge = (name: string, help: string, read: (gauges: ProjectionGauges) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        // Read at scrape time, from whatever watches the projections in this process.
        collect: (): void => {
          if (this.projection) gauges.get(name)?.set(read(this.projection));
        },
      });
    const gauges = new Map<string, Gauge>();
    for (const [name, help, read] of [
      [
        'trustline_projection_position',
        'Position in $all of the last event in the read models',
        (g: ProjectionGauges) => g.position(),
      ],
      [
        'trustline_projection_lag_events',
        'Events stored but not yet in the read models',
        (g: ProjectionGauges) => g.lagEvents(),
      ],
      [
        'trustline_projection_lag_seconds',
        'While events wait to be projected: seconds since the read models last moved (0 when none wait)',
        (g: ProjectionGauges) => g.lagSeconds(),
      ],
    ] as const) {
      gauges.set(name, projectionGauge(name, help, read));
    }
    // Unprefixed (process_cpu_seconds_total…), as dashboards for Node services expect.
    collectDefaultMetrics({ register: this.registry });
  }

  watchProjections(gauges: ProjectionGauges): void {
    this.projection = gauges;
  }

  /** The text Prometheus scrapes, with the projection lag measured just now. */
  async scrape(): Promise<string> {
    await this.projection?.refresh().catch(() => undefined);
    return this.registry.metrics();
  }
}
