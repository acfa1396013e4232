import {
  Counter,
  CounterConfiguration,
  Gauge,
  Histogram,
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

/**
 * One entry per label combination, found through a tree of maps (one level per label, on strings the caller already
 * holds): on a hot path that is a few map lookups, where prom-client validates and hashes the labels on every call.
 */
class ByLabels<L extends string, T> {
  private readonly root = new Map<unknown, unknown>();
  readonly entries: { labels: LabelValues<L>; tally: T }[] = [];

  constructor(
    private readonly labelNames: readonly L[],
    private readonly create: () => T,
  ) {}

  get(labels: LabelValues<L>): T {
    let level = this.root;
    const last = this.labelNames.length - 1;
    for (let i = 0; i < last; i++) {
      const key = labels[this.labelNames[i]];
      let next = level.get(key) as Map<unknown, unknown> | undefined;
      if (!next) level.set(key, (next = new Map()));
      level = next;
    }
    const key = last >= 0 ? labels[this.labelNames[last]] : undefined;
    const found = level.get(key) as T | undefined;
    if (found) return found;
    const tally = this.create();
    level.set(key, tally);
    this.entries.push({ labels: { ...labels }, tally });
    return tally;
  }
}

/** A counter kept as plain numbers and handed to Prometheus at each scrape. */
export class CounterSeries<L extends string> {
  private readonly tallies: ByLabels<L, { value: number }>;
  private on = false;

  constructor(configuration: CounterConfiguration<L>) {
    const tallies = (this.tallies = new ByLabels(configuration.labelNames ?? [], () => ({ value: 0 })));
    whenEnabled(() => {
      this.on = true;
      new Counter<L>({
        ...configuration,
        registers: [registry],
        collect() {
          this.reset();
          for (const { labels, tally } of tallies.entries) this.inc(labels, tally.value);
        },
      });
    });
  }

  inc(labels: LabelValues<L>, value = 1): void {
    if (this.on) this.tallies.get(labels).value += value;
  }
}

interface Buckets {
  /** Observations per bucket, not cumulative; the last one is past every bound (`+Inf`). */
  counts: number[];
  sum: number;
  count: number;
}

const notTimed = (): void => undefined;

/**
 * A histogram kept as plain numbers, like `CounterSeries`: recording is a label lookup, a scan of the bounds and
 * three additions. At each scrape it answers in prom-client's own shape, so the exposition is the same as a
 * prom-client `Histogram`'s (cumulative `_bucket` lines with `le`, then `_sum` and `_count`).
 */
export class HistogramSeries<L extends string> {
  private readonly tallies: ByLabels<L, Buckets>;
  private readonly bounds: readonly number[];
  private on = false;

  constructor(configuration: { name: string; help: string; labelNames?: readonly L[]; buckets: number[] }) {
    const bounds = (this.bounds = [...configuration.buckets].sort((a, b) => a - b));
    const tallies = (this.tallies = new ByLabels(configuration.labelNames ?? [], () => ({
      counts: new Array<number>(bounds.length + 1).fill(0),
      sum: 0,
      count: 0,
    })));
    const { name, help } = configuration;
    const exposition = () => ({
      name,
      help,
      type: 'histogram',
      aggregator: 'sum',
      values: tallies.entries.flatMap(({ labels, tally }) => {
        let cumulative = 0;
        return [
          ...[...bounds, '+Inf' as const].map((le, i) => {
            cumulative += tally.counts[i];
            return { labels: { le }, sharedLabels: labels, value: cumulative, metricName: `${name}_bucket` };
          }),
          { labels: {}, sharedLabels: labels, value: tally.sum, metricName: `${name}_sum` },
          { labels: {}, sharedLabels: labels, value: tally.count, metricName: `${name}_count` },
        ];
      }),
    });
    whenEnabled(() => {
      this.on = true;
      // The registry reads any object with prom-client's metric shape; its types list only prom-client's classes.
      registry.registerMetric({
        name,
        help,
        type: 'histogram',
        getForPromString: async () => exposition(),
        get: async () => {
          const data = exposition();
          return {
            ...data,
            values: data.values.map(({ labels, sharedLabels, ...rest }) => ({
              ...rest,
              labels: { ...sharedLabels, ...labels },
            })),
          };
        },
        reset: () => undefined,
      } as unknown as Histogram<L>);
    });
  }

  /** Starts a clock; calling what it returns records the seconds since, under labels known only at the end. */
  start(): (labels: LabelValues<L>) => void {
    if (!this.on) return notTimed;
    const started = performance.now();
    return (labels) => this.observe(labels, (performance.now() - started) / 1000);
  }

  private observe(labels: LabelValues<L>, seconds: number): void {
    const tally = this.tallies.get(labels);
    let bucket = 0;
    while (bucket < this.bounds.length && seconds > this.bounds[bucket]) bucket += 1;
    tally.counts[bucket] += 1;
    tally.sum += seconds;
    tally.count += 1;
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
