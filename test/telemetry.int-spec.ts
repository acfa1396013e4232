import { SERVICES } from '@tessera/contracts';
import {
  GitHubStandIn,
  SmtpSink,
  TestEnvironment,
  eventually,
  freePort,
  freePortRange,
} from '@tessera/testing';
import { randomBytes } from 'node:crypto';
import { JSONCodec, NatsConnection, connect } from 'nats';
import request from 'supertest';
import { OtlpReceiver, ReceivedSpan, traceTree } from './support/otlp-receiver';
import { total } from './support/prometheus-text';
import { NodeProcess } from './support/run-node';
import { TestUser, signUp } from './support/users';

const codec = JSONCodec();

/**
 * Metrics and traces of the real processes, started as `npm start` starts them: each serves `/metrics` on its own
 * port (TESSERA_METRICS_PORT + its offset), and every process exports its spans to a real OTLP/HTTP receiver.
 */
describe('metrics and traces', () => {
  let environment: TestEnvironment;
  let github: GitHubStandIn;
  let sink: SmtpSink;
  let receiver: OtlpReceiver;
  let tessera: NodeProcess;
  let http: string;
  let metricsBase: number;
  let nc: NatsConnection;
  let owner: TestUser;
  let teamId: string;

  beforeAll(async () => {
    [environment, github, sink, receiver] = await Promise.all([
      TestEnvironment.start(),
      GitHubStandIn.start({ clientId: 'gh-client', clientSecret: 'gh-secret' }),
      // Not listening at first: the first e-mail fails, so the failure counter has something to count.
      SmtpSink.start({ listening: false }),
      OtlpReceiver.start(),
    ]);
    const port = await freePort();
    metricsBase = await freePortRange(SERVICES.length);
    http = `http://127.0.0.1:${port}`;
    tessera = NodeProcess.start(
      'tools/start.js',
      environment.env({
        TESSERA_HTTP_PORT: String(port),
        TESSERA_METRICS_PORT: String(metricsBase),
        TESSERA_METRICS_HOST: '127.0.0.1',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        TESSERA_GITHUB_URL: github.url,
        TESSERA_GITHUB_API_URL: github.apiUrl,
        TESSERA_GITHUB_CLIENT_ID: 'gh-client',
        TESSERA_GITHUB_CLIENT_SECRET: 'gh-secret',
        TESSERA_SMTP_URL: sink.url,
        TESSERA_MAIL_BACKOFF_MS: '200',
        TESSERA_KEY_FAILURE_LIMIT: '2',
      }),
    );
    await tessera.waitForOutput('Tessera is ready', 90_000);
    nc = await connect({ servers: environment.nats.url });
  }, 120_000);

  afterAll(async () => {
    await nc?.close();
    tessera?.child.kill('SIGTERM');
    await tessera?.exited;
    await Promise.all([github?.stop(), sink?.stop(), receiver?.stop(), environment?.stop()]);
  });

  const scrape = async (service: (typeof SERVICES)[number]): Promise<string> => {
    const response = await fetch(`http://127.0.0.1:${metricsBase + SERVICES.indexOf(service)}/metrics`);
    expect(response.status).toBe(200);
    return response.text();
  };
  const scrapeAll = async () =>
    Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s, await scrape(s)] as const))) as Record<
      (typeof SERVICES)[number],
      string
    >;
  const check = async (body: object) =>
    codec.decode((await nc.request('tessera.authz.check', codec.encode(body), { timeout: 5000 })).data) as {
      allow: boolean;
      reason?: string;
    };

  it('serves each process its own endpoint, on the base port plus its offset, labelled with its service', async () => {
    const texts = await scrapeAll();
    for (const service of SERVICES) {
      expect(texts[service]).toContain(`service="${service}"`);
      expect(texts[service]).toContain('# TYPE process_cpu_user_seconds_total counter');
    }
    for (const service of ['identity', 'teams', 'keys', 'notifications'] as const)
      expect(texts[service]).toContain('# TYPE tessera_outbox_oldest_unpublished_age_seconds gauge');
    expect(texts.notifications).toContain('tessera_mail_queue_jobs{state="waiting"');
    const wrong = await fetch(`http://127.0.0.1:${metricsBase}/anything-else`);
    expect(wrong.status).toBe(404);
  });

  it('moves every series when traffic flows', async () => {
    const before = await scrapeAll();
    owner = await signUp(http, github, 'owner@metrics.test');
    const team = await request(http)
      .post('/v1/teams')
      .set('authorization', `Bearer ${owner.token}`)
      .send({ name: 'Metrics' })
      .expect(201);
    teamId = team.body.id;
    const issued = await request(http)
      .post(`/v1/accounts/${team.body.id}/keys`)
      .set('authorization', `Bearer ${owner.token}`)
      .send({ name: 'probe', scope: 'API' })
      .expect(201);
    await request(http)
      .get(`/v1/teams/${team.body.id}`)
      .set('authorization', `Bearer ${owner.token}`)
      .expect(200);

    // Decisions on the bus: allowed twice (the second from the cache), refused for scope, and failed credentials
    // from one relayed address until its budget refuses it.
    const key = `Key ${issued.body.secret}`;
    expect(await check({ authorization: key, action: 'models.call' })).toMatchObject({ allow: true });
    expect(await check({ authorization: key, action: 'models.call' })).toMatchObject({ allow: true });
    expect(await check({ authorization: key, action: 'apps.deploy' })).toMatchObject({
      reason: 'scope_insufficient',
    });
    const forged = { authorization: 'Key tsk_forged', action: 'models.call', clientAddress: '203.0.113.9' };
    for (let i = 0; i < 2; i += 1) await check(forged);
    expect(await check(forged)).toMatchObject({ reason: 'rate_limited' });

    // An invitation e-mail that fails while the SMTP server is down, then goes out once it is up.
    await request(http)
      .post(`/v1/teams/${team.body.id}/invitations`)
      .set('authorization', `Bearer ${owner.token}`)
      .send({ email: 'newcomer@metrics.test', role: 'developer' })
      .expect(201);
    await eventually(async () =>
      expect(total(await scrape('notifications'), 'tessera_mail_send_failures_total')).toBeGreaterThan(0),
    );
    await sink.resume();
    await sink.waitFor(1, 30_000);

    await eventually(async () =>
      expect(total(await scrape('notifications'), 'tessera_mail_sent_total')).toBeGreaterThan(0),
    );
    const after = await scrapeAll();
    const grew = (service: (typeof SERVICES)[number], name: string, labels: Record<string, string> = {}) =>
      total(after[service], name, labels) - total(before[service], name, labels);

    expect(
      grew('gateway', 'tessera_http_requests_total', { route: '/v1/teams', method: 'POST', status: '201' }),
    ).toBe(1);
    expect(
      grew('gateway', 'tessera_http_requests_total', {
        route: '/v1/teams/:id',
        method: 'GET',
        status: '200',
      }),
    ).toBe(1);
    expect(after.gateway).not.toContain(`route="/v1/teams/${team.body.id}"`);
    expect(grew('gateway', 'tessera_http_request_duration_seconds_count', { route: '/v1/teams' })).toBe(1);
    expect(grew('gateway', 'tessera_authz_decisions_total', { outcome: 'allow', via: 'bus' })).toBe(2);
    expect(
      grew('gateway', 'tessera_authz_decisions_total', { outcome: 'deny', reason: 'scope_insufficient' }),
    ).toBe(1);
    expect(grew('gateway', 'tessera_authz_decisions_total', { reason: 'invalid_credentials' })).toBe(2);
    expect(grew('gateway', 'tessera_authz_decisions_total', { reason: 'rate_limited' })).toBe(1);
    expect(grew('gateway', 'tessera_authz_decision_duration_seconds_count', { via: 'bus' })).toBe(6);
    expect(grew('gateway', 'tessera_rate_limit_refusals_total', { budget: 'credentials' })).toBeGreaterThan(
      0,
    );
    expect(grew('gateway', 'tessera_gateway_cache_lookups_total', { cache: 'api-keys' })).toBe(3);
    expect(grew('gateway', 'tessera_gateway_cache_misses_total', { cache: 'api-keys' })).toBe(1);
    expect(
      grew('gateway', 'tessera_rpc_client_duration_seconds_count', {
        subject: 'tessera.teams.team.create',
        outcome: 'ok',
      }),
    ).toBe(1);
    expect(
      grew('teams', 'tessera_rpc_server_duration_seconds_count', {
        subject: 'tessera.teams.team.create',
        outcome: 'ok',
      }),
    ).toBe(1);
    expect(grew('identity', 'tessera_rpc_client_duration_seconds_count', { outcome: 'ok' })).toBeGreaterThan(
      0,
    );
    expect(grew('notifications', 'tessera_mail_send_failures_total', { final: 'false' })).toBeGreaterThan(0);
    expect(grew('notifications', 'tessera_mail_sent_total')).toBeGreaterThan(0);
    // Everything written was relayed: nothing waits in any outbox.
    for (const service of ['identity', 'teams', 'keys'] as const)
      await eventually(async () =>
        expect(total(await scrape(service), 'tessera_outbox_unpublished_events')).toBe(0),
      );

    const excerpt = after.gateway
      .split('\n')
      .filter((line) =>
        /^tessera_(authz_decisions_total|authz_decision_duration_seconds_(count|bucket\{le="0.00(05|1)",service="gateway",outcome="allow")|gateway_cache_[a-z_]+\{cache="api-keys"|rate_limit|http_requests_total\{[^}]*route="\/v1\/teams")/.test(
          line,
        ),
      );
    process.stdout.write(`gateway /metrics (excerpt):\n${excerpt.join('\n')}\n`);
  });

  it('carries the trace of an invitation through the outbox and JetStream to the e-mail it sends', async () => {
    // The caller starts the trace: spans of earlier tests, exported up to a second late, can't be mistaken for it.
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    await request(http)
      .post(`/v1/teams/${teamId}/invitations`)
      .set('authorization', `Bearer ${owner.token}`)
      .set('traceparent', `00-${traceId}-${callerSpanId}-01`)
      .send({ email: 'second@metrics.test', role: 'billing' })
      .expect(201);
    await sink.waitFor(2, 30_000);
    let trace: ReceivedSpan[] = [];
    await eventually(() => {
      trace = receiver.spans.filter((span) => span.traceId === traceId);
      expect(trace.map((span) => `${span.service} ${span.kind} ${span.name}`)).toEqual(
        expect.arrayContaining([
          'gateway server POST /v1/teams/:id/invitations',
          'teams server tessera.teams.invitation.create',
          'notifications consumer tessera.events.teams.invitation.created',
          'notifications consumer send invitation e-mail',
        ]),
      );
    }, 20_000);
    process.stdout.write(`one invitation, trace ${traceId}:\n${traceTree(trace)}\n`);
    const root = trace.find((span) => span.service === 'gateway' && span.kind === 'server')!;
    expect(root.parentSpanId).toBe(callerSpanId);
    // The event's consumer and the e-mail it queued are children of the change in teams, through the outbox.
    const creation = trace.find((span) => span.service === 'teams' && span.kind === 'server')!;
    const consumed = trace.find((span) => span.kind === 'consumer' && span.service === 'notifications')!;
    expect(consumed.parentSpanId).toBe(creation.spanId);
    const sent = trace.filter((span) => span.name === 'send invitation e-mail');
    expect(sent.every((span) => span.parentSpanId === creation.spanId)).toBe(true);
  });

  it('makes one sign-in one trace, from the gateway through identity to teams', async () => {
    const since = receiver.now();
    await signUp(http, github, 'traced@metrics.test');
    let trace: ReceivedSpan[] = [];
    await eventually(() => {
      const ensure = receiver
        .spansSince(since)
        .find((span) => span.service === 'teams' && span.name === 'tessera.teams.account.ensure-personal');
      expect(ensure).toBeDefined();
      trace = receiver.spans.filter((span) => span.traceId === ensure!.traceId);
      const root = trace.find((span) => !span.parentSpanId);
      expect(root).toMatchObject({ service: 'gateway', kind: 'server' });
    }, 20_000);
    process.stdout.write(`one sign-in, trace ${trace[0].traceId}:\n${traceTree(trace)}\n`);

    const root = trace.find((span) => !span.parentSpanId)!;
    expect(root.name).toBe('GET /auth/github/callback');
    expect(new Set(trace.map((span) => span.service))).toEqual(new Set(['gateway', 'identity', 'teams']));
    // Each hop is a client span in the caller and a server span in the responder, its child.
    const byId = new Map(trace.map((span) => [span.spanId, span]));
    const parentOf = (span: ReceivedSpan) => (span.parentSpanId ? byId.get(span.parentSpanId) : undefined);
    const ensure = trace.find((span) => span.service === 'teams' && span.kind === 'server')!;
    expect(parentOf(ensure)).toMatchObject({ service: 'identity', kind: 'client', name: ensure.name });
    const identityServer = trace.find((span) => span.service === 'identity' && span.kind === 'server')!;
    expect(parentOf(identityServer)).toMatchObject({ service: 'gateway', kind: 'client' });
    // The database work is in the trace, without the values of its parameters.
    const queries = trace.filter((span) => span.attributes['db.system.name'] ?? span.attributes['db.system']);
    expect(queries.map((span) => span.service)).toEqual(expect.arrayContaining(['identity', 'teams']));
    expect(JSON.stringify(trace.map((span) => span.attributes))).not.toContain('traced@metrics.test');
    // The callback's query holds the OAuth code and state: no span keeps a query string.
    expect(JSON.stringify(trace.map((span) => span.attributes))).not.toMatch(/[?&](code|state)=/);
  });

  it('keeps no query string in any span, even a credential the gateway refuses to read from a URL', async () => {
    const since = receiver.now();
    const refused = await request(http).get('/v1/me?api_key=tsk_pasted_in_a_url');
    expect(refused.status).toBeGreaterThanOrEqual(400);
    // Refused before routing, the request's span is named by its method only; its target (cut at `?`) tells it.
    const refusedSpan = (span: ReceivedSpan) =>
      span.service === 'gateway' && span.kind === 'server' && span.attributes['url.path'] === '/v1/me';
    await eventually(() => expect(receiver.spansSince(since).some(refusedSpan)).toBe(true));
    const exported = receiver.spansSince(since).map(({ name, attributes }) => ({ name, attributes }));
    expect(JSON.stringify(exported)).not.toContain('tsk_pasted_in_a_url');
    expect(JSON.stringify(exported)).toContain('/v1/me');
  });
});
