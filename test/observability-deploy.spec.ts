import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SERVICES } from '@tessera/contracts';
import { enableMetrics, metricsPort } from '@tessera/telemetry';

const root = resolve(__dirname, '..');
const read = (path: string) => readFileSync(resolve(root, path), 'utf8');

/** The compose profile `observability`: its Prometheus and Grafana must ask for what the processes serve. */
describe('deploy/ for metrics', () => {
  it('has Prometheus scrape every process on the compose base port plus its offset', () => {
    const base = Number(
      /TESSERA_METRICS_PORT: \$\{TESSERA_METRICS_PORT:-(\d+)\}/.exec(read('docker-compose.yml'))?.[1],
    );
    const targets = [...read('deploy/prometheus/prometheus.yml').matchAll(/- (\w+):(\d+)$/gm)].map(
      ([, host, port]) => `${host}:${port}`,
    );
    expect(targets.sort()).toEqual(
      SERVICES.map((service) => `${service}:${metricsPort(service, base)}`).sort(),
    );
  });

  it('has the dashboard query only series that Tessera declares', async () => {
    const declared = new Set((await enableMetrics('test').getMetricsAsJSON()).map((metric) => metric.name));
    const dashboard = JSON.parse(read('deploy/grafana/dashboards/tessera.json')) as {
      panels: Array<{ targets?: Array<{ expr: string }> }>;
    };
    const queried = dashboard.panels.flatMap((panel) => panel.targets ?? []).map((target) => target.expr);
    expect(queried.length).toBeGreaterThan(10);
    const names = queried.flatMap((expr) => expr.match(/\b(?:tessera|nodejs|process)_[a-z0-9_]+/g) ?? []);
    const unknown = names
      .map((name) => name.replace(/_(bucket|count|sum)$/, ''))
      .filter((name) => !declared.has(name));
    expect(unknown).toEqual([]);
  });
});
