import {
  Counter,
  CounterConfiguration,
  Gauge,
  Histogram,
  HistogramConfiguration,
  LabelValues,
  Registry,
  collectDefaultMetrics,
} from 'prom-client';

/**
 * The process's Prometheus registry. Every series below is declared at import time but created only when
 * `enableMetrics` runs (TESSERA_METRICS_PORT is set): until then recording is one property check, so a process
 * without metrics keeps no label maps and pays next to nothing on its hot paths.
 */
const registry = new Registry();
const pending: Array<() => void> = [];
let enabled = false;

function whenEnabled(create: () => void): void {
  if (enabled) create();
  else pending.push(create);
}

/** Whether this process keeps metrics: lets a caller skip work whose only purpose is a series. */
export function metricsEnabled(): boolean {
  return enabled;
}

/** Creates every series, labelled with the process's service, plus Node's own (CPU, memory, event-loop lag). */
export function enableMetrics(service: string): Registry {
  if (enabled) return registry;
  enabled = true;
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  for (const create of pending.splice(0)) create();
  return registry;
}

interface Tally<L extends string> {
  labels: LabelValues<L>;
  value: number;
}

/**
 * A counter kept as plain numbers, one per label combination, and handed to Prometheus at each scrape: on a hot path
 * an increment is a few map lookups (one per label, on strings the caller already holds) and an addition, a small
 * part of what prom-client's `inc` costs (it validates and hashes the labels every time).
 */
export class CounterSeries<L extends string> {
  private readonly byLabel = new Map<unknown, unknown>();
  private readonly tallies: Tally<L>[] = [];
  private readonly labelNames: readonly L[];
  private on = false;

  constructor(configuration: CounterConfiguration<L>) {
    this.labelNames = configuration.labelNames ?? [];
    const tallies = this.tallies;
    whenEnabled(() => {
      this.on = true;
      new Counter<L>({
        ...configuration,
        registers: [registry],
        collect() {
          this.reset();
          for (const { labels, value } of tallies) this.inc(labels, value);
        },
      });
    });
  }

  inc(labels: LabelValues<L>, value = 1): void {
    if (!this.on) return;
    // A tree of maps, one level per label, whose leaves are the tallies.
    let level = this.byLabel;
    const last = this.labelNames.length - 1;
    for (let i = 0; i < last; i++) {
      const key = labels[this.labelNames[i]];
      let next = level.get(key) as Map<unknown, unknown> | undefined;
      if (!next) level.set(key, (next = new Map()));
      level = next;
    }
    const key = last >= 0 ? labels[this.labelNames[last]] : undefined;
    const tally = level.get(key) as Tally<L> | undefined;
    if (tally) {
      tally.value += value;
      return;
    }
    const created = { labels: { ...labels }, value };
    level.set(key, created);
    this.tallies.push(created);
  }
}

const notTimed = (): void => undefined;

export class HistogramSeries<L extends string> {
  private histogram?: Histogram<L>;

  constructor(configuration: HistogramConfiguration<L>) {
    whenEnabled(() => (this.histogram = new Histogram({ ...configuration, registers: [registry] })));
  }

  /** Starts a clock; calling what it returns records the seconds since, under labels known only at the end. */
  start(): (labels: LabelValues<L>) => void {
    const histogram = this.histogram;
    if (!histogram) return notTimed;
    const started = performance.now();
    return (labels) => histogram.observe(labels, (performance.now() - started) / 1000);
  }
}

/** One reading of a sampled gauge: its labels and value. */
export type Sample<L extends string> = [LabelValues<L>, number];

/**
 * A gauge read from its sources at each scrape (a queue's depth, an outbox's oldest row), so nothing is polled
 * between scrapes. A source that fails (its database is down) is left out of that scrape rather than failing it.
 */
export class SampledGauge<L extends string> {
  private readonly sources = new Set<() => Promise<Sample<L>[]>>();

  constructor(configuration: { name: string; help: string; labelNames?: readonly L[] }) {
    const sources = this.sources;
    whenEnabled(
      () =>
        new Gauge<L>({
          ...configuration,
          registers: [registry],
          async collect() {
            this.reset();
            const readings = await Promise.allSettled([...sources].map((source) => source()));
            for (const reading of readings) {
              if (reading.status === 'fulfilled')
                for (const [labels, value] of reading.value) this.set(labels, value);
            }
          },
        }),
    );
  }

  /** Adds a source; the returned function removes it (when its owner shuts down). */
  sample(source: () => Promise<Sample<L>[]>): () => void {
    this.sources.add(source);
    return () => this.sources.delete(source);
  }
}
