import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ServiceName } from '@tessera/contracts';
import { HealthRegistry, SERVICE_NAME } from './health';
import { Logger } from './logger';
import { CONFIG, LOGGER } from './tokens';

/**
 * The service's health over HTTP on `TESSERA_HEALTH_PORT`, for probes of a process that otherwise speaks only NATS:
 * a container health check or a Kubernetes probe is one request to the running process, not a new process.
 *
 * - `GET /health/live`: 200 while the event loop turns.
 * - `GET /health/ready`: 200 when every dependency the service registered (NATS, its database, Redis) answers,
 *   else 503; the same body either way.
 *
 * Like the gateway's health it says only up or down (why goes to the log), so reaching the port reveals nothing.
 */
@Injectable()
export class HealthServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private server?: Server;

  constructor(
    private readonly registry: HealthRegistry,
    @Inject(SERVICE_NAME) private readonly service: ServiceName,
    @Inject(CONFIG) private readonly config: { readonly healthPort?: number },
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.healthPort;
    if (port === undefined) return;
    const server = createServer((request, response) => void this.answer(request, response));
    await new Promise<void>((listening, failed) => {
      server.once('error', failed);
      server.listen(port, () => listening());
    });
    this.server = server;
    this.logger.info({ port }, `${this.service} answers health on port ${port}`);
  }

  /** Closes the port first, so a probe sees the process going away rather than hanging on a half-closed one. */
  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((closed) => {
      server.close(() => closed());
      server.closeAllConnections();
    });
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = request.url?.split('?')[0];
    if (request.method !== 'GET' || (path !== '/health/live' && path !== '/health/ready')) {
      return send(response, 404, {
        error: { code: 'not_found', message: 'Only GET /health/live and GET /health/ready are served here.' },
      });
    }
    if (path === '/health/live') return send(response, 200, { status: 'live' });
    const report = await this.registry.report(this.service);
    const checks: Record<string, { status: string }> = {};
    for (const [dependency, check] of Object.entries(report.checks)) {
      checks[dependency] = { status: check.status };
      if (check.status !== 'up')
        this.logger.warn({ dependency, reason: check.error }, 'health: dependency down');
    }
    send(response, report.status === 'up' ? 200 : 503, { status: report.status, checks });
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}
