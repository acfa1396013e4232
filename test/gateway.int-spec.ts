import { connect, NatsConnection } from 'nats';
import request from 'supertest';
import { SERVICES } from '@tessera/contracts';
import { NatsServerProcess, TestEnvironment, freePort } from '@tessera/testing';
import { InProcessPlatform } from './support/in-process-platform';

/** The gateway against every real service: round trips, readiness through outages, errors, headers, docs. */
describe('gateway', () => {
  let environment: TestEnvironment;
  let platform: InProcessPlatform;

  beforeAll(async () => {
    environment = await TestEnvironment.start();
    platform = await InProcessPlatform.start(environment, { TESSERA_RPC_TIMEOUT_MS: '700' });
  });

  afterAll(async () => {
    await platform?.stop();
    await environment?.stop();
  });

  it('reaches each service over NATS and back, carrying the request id into its log', async () => {
    for (const service of SERVICES) {
      const requestId = `trace-${service}-0001`;
      const response = await request(platform.http)
        .get(`/health/services/${service}`)
        .set('x-request-id', requestId)
        .expect(200);
      expect(response.headers['x-request-id']).toBe(requestId);
      expect(response.body).toMatchObject({ service, status: 'up' });
      const hop = platform.logs.lines.find(
        (line) => line.requestId === requestId && line.service === service,
      );
      expect(hop).toMatchObject({ subject: `tessera.${service}.health`, msg: 'handled' });
    }
    const identity = await request(platform.http).get('/health/services/identity').expect(200);
    expect(identity.body.checks).toEqual({ nats: { status: 'up' }, database: { status: 'up' } });
    const notifications = await request(platform.http).get('/health/services/notifications').expect(200);
    expect(notifications.body.checks).toEqual({
      nats: { status: 'up' },
      database: { status: 'up' },
      redis: { status: 'up' },
    });
  });

  it('is ready when its NATS, its Redis and identity answer, and lists every service apart', async () => {
    const ready = await request(platform.http).get('/health/ready').expect(200);
    expect(ready.body).toEqual({
      status: 'ready',
      down: [],
      dependencies: { nats: { status: 'up' }, redis: { status: 'up' }, identity: { status: 'up' } },
    });
    const services = await request(platform.http).get('/health/services').expect(200);
    expect(services.body.status).toBe('up');
    expect(services.body.down).toEqual([]);
    expect(Object.keys(services.body.services).sort()).toEqual([...SERVICES].sort());
    expect(services.body.services.keys).toEqual({
      status: 'up',
      checks: { nats: { status: 'up' }, database: { status: 'up' } },
    });
  });

  it('stays ready while notifications is stopped; /health/services names it, and it recovers', async () => {
    await platform.stopService('notifications');
    try {
      const ready = await request(platform.http).get('/health/ready').expect(200);
      expect(ready.body).toEqual({
        status: 'ready',
        down: [],
        dependencies: { nats: { status: 'up' }, redis: { status: 'up' }, identity: { status: 'up' } },
      });
      const services = await request(platform.http).get('/health/services').expect(503);
      expect(services.body.status).toBe('down');
      expect(services.body.down).toEqual(['notifications']);
      expect(services.body.services.notifications).toEqual({ status: 'down' });
      expect(services.body.services.identity.status).toBe('up');

      const call = await request(platform.http).get('/health/services/notifications').expect(503);
      expect(call.body.error).toMatchObject({ code: 'service_unavailable', service: 'notifications' });
      expect(call.body.error.requestId).toBe(call.headers['x-request-id']);
    } finally {
      await platform.startService('notifications');
    }
    await request(platform.http).get('/health/services').expect(200);
  });

  it('is not ready while no identity service answers, and ready again once one does', async () => {
    await platform.stopService('identity');
    try {
      const started = Date.now();
      const ready = await request(platform.http).get('/health/ready').expect(503);
      process.stdout.write(`/health/ready without identity answered in ${Date.now() - started} ms\n`);
      expect(ready.body).toEqual({
        status: 'unavailable',
        down: ['identity'],
        dependencies: { nats: { status: 'up' }, redis: { status: 'up' }, identity: { status: 'down' } },
      });
      expect(platform.logs.lines).toContainEqual(
        expect.objectContaining({
          service: 'gateway',
          dependency: 'identity',
          msg: 'health: dependency down',
        }),
      );
    } finally {
      await platform.startService('identity');
    }
    await request(platform.http).get('/health/ready').expect(200);
  });

  it('is not ready when its NATS is unreachable, with the same body shape', async () => {
    // A gateway on a NATS of its own, which then goes away: its connection keeps trying, readiness says so.
    const nats = await NatsServerProcess.start();
    let natsRunning = true;
    try {
      const alone = await platform.addGateway({ natsUrls: [nats.url] });
      const lonely = await request(alone).get('/health/ready').expect(503);
      expect(lonely.body).toEqual({
        status: 'unavailable',
        down: ['identity'],
        dependencies: { nats: { status: 'up' }, redis: { status: 'up' }, identity: { status: 'down' } },
      });

      await nats.destroy();
      natsRunning = false;
      const cut = await request(alone).get('/health/ready').expect(503);
      expect(cut.body).toEqual({
        status: 'unavailable',
        down: ['nats', 'identity'],
        dependencies: { nats: { status: 'down' }, redis: { status: 'up' }, identity: { status: 'down' } },
      });
      expect((await request(alone).get('/health/live').expect(200)).body).toEqual({ status: 'live' });
    } finally {
      if (natsRunning) await nats.destroy();
    }
  });

  it('answers 503 within the configured timeout when a service takes too long', async () => {
    await platform.stopService('keys');
    // A responder that never replies: the service is "there" but hangs.
    const nc: NatsConnection = await connect({ servers: platform.config.natsUrls });
    nc.subscribe('tessera.keys.health', { queue: 'keys', callback: () => undefined });
    await nc.flush();
    try {
      const started = Date.now();
      const response = await request(platform.http).get('/health/services/keys').expect(503);
      const elapsed = Date.now() - started;
      expect(response.body.error).toMatchObject({ code: 'service_unavailable', service: 'keys' });
      expect(response.body.error.message).toContain('timeout');
      expect(elapsed).toBeGreaterThanOrEqual(650);
      expect(elapsed).toBeLessThan(3000);
    } finally {
      await nc.close();
      await platform.startService('keys');
    }
  });

  it('shows only up or down for a failing dependency, and logs why', async () => {
    // A Redis that is not there, at an address the body must not repeat.
    const closedPort = await freePort();
    const misconfigured = await platform.addGateway({ redisUrl: `redis://127.0.0.1:${closedPort}` });
    const ready = await request(misconfigured).get('/health/ready').expect(503);
    expect(ready.body.down).toEqual(['redis']);
    expect(ready.body.dependencies.redis).toEqual({ status: 'down' });
    expect(JSON.stringify(ready.body)).not.toMatch(new RegExp(`${closedPort}|127\\.0\\.0\\.1`));
    const logged = platform.logs.lines.find(
      (line) => line.dependency === 'redis' && line.service === 'gateway',
    );
    expect(logged?.reason).toEqual(expect.any(String));
  });

  it("leaves a service's reason for a down dependency out of its report, and logs it", async () => {
    await platform.stopService('keys');
    const nc: NatsConnection = await connect({ servers: platform.config.natsUrls });
    const reason = 'password authentication failed for user "keys" at db-primary.internal:5432';
    // A keys service whose database refuses its login, as it would report itself.
    nc.subscribe('tessera.keys.health', {
      queue: 'keys',
      callback: (_, message) => {
        const { id } = JSON.parse(new TextDecoder().decode(message.data)) as { id: string };
        const response = {
          service: 'keys',
          status: 'down',
          checks: { database: { status: 'down', error: reason } },
          uptimeSeconds: 1,
        };
        message.respond(new TextEncoder().encode(JSON.stringify({ id, response, isDisposed: true })));
      },
    });
    await nc.flush();
    try {
      const report = await request(platform.http).get('/health/services/keys').expect(200);
      expect(report.body.checks).toEqual({ database: { status: 'down' } });
      const services = await request(platform.http).get('/health/services').expect(503);
      expect(services.body.services.keys).toEqual({
        status: 'down',
        checks: { database: { status: 'down' } },
      });
      for (const body of [report.body, services.body])
        expect(JSON.stringify(body)).not.toContain('db-primary');
      expect(platform.logs.lines).toContainEqual(
        expect.objectContaining({ service: 'keys', dependency: 'database', reason }),
      );
    } finally {
      await nc.close();
      await platform.startService('keys');
    }
  });

  it('answers unknown routes and unparsable bodies with the error envelope', async () => {
    const missing = await request(platform.http).get('/v1/nothing-here').expect(404);
    expect(missing.body).toEqual({
      error: { code: 'not_found', message: expect.any(String), requestId: missing.headers['x-request-id'] },
    });
    const garbled = await request(platform.http)
      .post('/health/live')
      .set('content-type', 'application/json')
      .send('{"broken":')
      .expect(400);
    expect(garbled.body.error.code).toBe('bad_request');
    expect(JSON.stringify(garbled.body)).not.toMatch(/at .*\.js:\d+/); // no stack trace
  });

  it('accepts a well-formed request id and replaces one that is not', async () => {
    const kept = await request(platform.http).get('/health/live').set('x-request-id', 'client-id_0001.a:b');
    expect(kept.headers['x-request-id']).toBe('client-id_0001.a:b');
    const replaced = await request(platform.http).get('/health/live').set('x-request-id', 'bad id <script>');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const generated = await request(platform.http).get('/health/live');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers and never advertises the framework', async () => {
    const response = await request(platform.http).get('/health/live').expect(200);
    expect(response.body).toEqual({ status: 'live' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-powered-by']).toBeUndefined();
    expect(response.headers['strict-transport-security']).toBeUndefined(); // plain-HTTP public URL
  });

  it('documents every route it serves in the OpenAPI description, but the server-rendered pages', async () => {
    const pages = new Set(['/signin', '/device', '/invite/accept']);
    const documented = (await request(platform.http).get('/docs-json').expect(200)).body.paths as Record<
      string,
      Record<string, unknown>
    >;
    const router = platform.gateway.getHttpAdapter().getInstance().router as {
      stack: { route?: { path: string; methods: Record<string, boolean> } }[];
    };
    const served = router.stack
      .flatMap(({ route }) => (route ? Object.keys(route.methods).map((method) => [method, route.path]) : []))
      .filter(([, path]) => !pages.has(path) && !path.startsWith('/docs'));
    expect(served.length).toBeGreaterThan(60);
    const missing = served.filter(([method, path]) => !documented[path.replace(/:(\w+)/g, '{$1}')]?.[method]);
    expect(missing).toEqual([]);
  });

  it('publishes the OpenAPI description at /docs-json and the browsable docs at /docs', async () => {
    const json = await request(platform.http).get('/docs-json').expect(200);
    expect(json.body.openapi).toMatch(/^3\./);
    expect(Object.keys(json.body.paths)).toEqual(
      expect.arrayContaining([
        '/health/live',
        '/health/ready',
        '/health/services',
        '/health/services/{service}',
        '/auth/github',
        '/auth/google/callback',
        '/auth/token',
        '/auth/logout',
        '/auth/jwks',
        '/auth/device/code',
        '/auth/device/token',
        '/auth/device/approve',
        '/v1/me',
        '/v1/me/accounts',
        '/v1/me/sessions/{id}',
      ]),
    );
    expect(json.body.components.schemas.ErrorEnvelope).toBeDefined();
    const html = await request(platform.http).get('/docs').redirects(1).expect(200);
    expect(html.text).toContain('swagger-ui');
  });

  it("documents the token endpoints' errors in OAuth's shape, other answers by their schemas", async () => {
    const { paths } = (await request(platform.http).get('/docs-json').expect(200)).body;
    const json = (answer: { content: Record<string, { schema: unknown }> }) =>
      answer.content['application/json'].schema;
    for (const path of ['/auth/token', '/auth/device/token'])
      expect(json(paths[path].post.responses['400'])).toEqual({ $ref: '#/components/schemas/OAuthError' });
    expect(json(paths['/v1/me'].get.responses['200'])).toEqual({ $ref: '#/components/schemas/User' });
    expect(json(paths['/auth/device/code'].post.responses['200'])).toEqual({
      $ref: '#/components/schemas/DeviceAuthorization',
    });
  });

  describe('behind a proxy', () => {
    /** Three requests to a rate-limited route, as if from `forwardedFor` via the test's loopback connection. */
    async function statuses(http: Parameters<typeof request>[0], forwardedFor: string[]): Promise<number[]> {
      const seen: number[] = [];
      for (const address of forwardedFor)
        seen.push((await request(http).get('/auth/github').set('x-forwarded-for', address)).status);
      return seen;
    }

    it("takes the client address from X-Forwarded-For when the connection is a trusted proxy's", async () => {
      const behind = await platform.addGateway({ trustedProxies: ['127.0.0.1'], authRateLimit: 2 });
      // Each client has its own limit (404: GitHub sign-in is not configured here, but the limit came first).
      expect(await statuses(behind, ['203.0.113.1', '203.0.113.1', '203.0.113.1'])).toEqual([404, 404, 429]);
      expect(await statuses(behind, ['203.0.113.2'])).toEqual([404]);
    });

    it('ignores a spoofed X-Forwarded-For from a connection that is not a trusted proxy', async () => {
      const direct = await platform.addGateway({ trustedProxies: ['192.0.2.1'], authRateLimit: 2 });
      expect(await statuses(direct, ['203.0.113.11', '203.0.113.12', '203.0.113.13'])).toEqual([
        404, 404, 429,
      ]);
    });
  });

  it('writes JSON access-log lines with the request id and path but never the query string', async () => {
    await request(platform.http).get('/v1/nothing?token=secret-value').set('x-request-id', 'log-check-0001');
    const line = platform.logs.lines.find((l) => l.requestId === 'log-check-0001' && l.msg === 'request');
    expect(line).toMatchObject({ service: 'gateway', method: 'GET', path: '/v1/nothing', status: 404 });
    expect(platform.logs.raw.join('\n')).not.toContain('secret-value');
  });
});
