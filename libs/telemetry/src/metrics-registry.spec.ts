import {
  CounterSeries,
  HistogramSeries,
  SampledGauge,
  enableMetrics,
  metricsEnabled,
} from './metrics-registry';

describe('metrics registry', () => {
  const counter = new CounterSeries({
    name: 'spec_things_total',
    help: 'things',
    labelNames: ['kind'] as const,
  });
  const histogram = new HistogramSeries({
    name: 'spec_seconds',
    help: 'time',
    labelNames: ['kind'] as const,
    buckets: [0.5, 60],
  });
  const gauge = new SampledGauge({ name: 'spec_depth', help: 'depth', labelNames: ['state'] as const });

  it('records nothing and samples nothing until metrics are enabled, then creates every series', async () => {
    let sampled = 0;
    gauge.sample(async () => {
      sampled += 1;
      return [[{ state: 'waiting' }, 7]];
    });
    gauge.sample(() => Promise.reject(new Error('database down')));
    counter.inc({ kind: 'before' });
    histogram.start()({ kind: 'before' });
    expect(metricsEnabled()).toBe(false);
    expect(sampled).toBe(0);

    const registry = enableMetrics('spec');
    counter.inc({ kind: 'after' }, 2);
    histogram.start()({ kind: 'after' });
    const text = await registry.metrics();

    expect(text).toContain('spec_things_total{kind="after",service="spec"} 2');
    expect(text).not.toContain('kind="before"');
    expect(text).toContain('spec_seconds_count{service="spec",kind="after"} 1');
    // Cumulative buckets, in prom-client's exposition: the quick observation is under both bounds.
    expect(text).toContain('spec_seconds_bucket{le="0.5",service="spec",kind="after"} 1');
    expect(text).toContain('spec_seconds_bucket{le="+Inf",service="spec",kind="after"} 1');
    expect(text).toMatch(/spec_seconds_sum\{service="spec",kind="after"\} \d/);
    // One failing source leaves only its own readings out of the scrape.
    expect(text).toContain('spec_depth{state="waiting",service="spec"} 7');
    expect(sampled).toBe(1);
    expect(text).toContain('process_cpu_user_seconds_total');
  });
});
