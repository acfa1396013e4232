import { createServer } from 'node:http';
import { Registry } from 'prom-client';

/**
 * `GET /metrics` in Prometheus' text format on its own port, apart from the gateway's public one, so scrapes never
 * pass its middleware, rate limits or access log. A port already taken stops the process with one line, as a bad
 * configuration does: an operator who asked for metrics must not find out at the first scrape.
 */
export function serveMetrics(registry: Registry, host: string, port: number, service: string): void {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  });
  server.on('error', (error: NodeJS.ErrnoException) => {
    process.stderr.write(
      `${service} cannot serve metrics on ${host}:${port} (TESSERA_METRICS_PORT + offset): ${error.code ?? error.message}\n`,
    );
    process.exit(1);
  });
  // Never what keeps a process alive: it ends when its service stops.
  server.listen(port, host).unref();
}
