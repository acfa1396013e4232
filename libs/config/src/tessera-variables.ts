import { ConfigOf, integer, oneOf, text, url, urlList, variable } from './variable';

/**
 * Every variable Tessera reads. Processes take the groups they need, so a service never fails on a setting it
 * does not use. The README's configuration table is rendered from these definitions (see `configTable`).
 */
export const commonVariables = {
  databaseUrl: variable('TESSERA_DATABASE_URL', url('postgres:', 'postgresql:'), {
    default: 'postgres://postgres@127.0.0.1:5432/tessera',
    description: 'PostgreSQL database; each service keeps its tables in its own schema. Created if missing.',
  }),
  natsUrls: variable('TESSERA_NATS_URL', urlList('nats:', 'tls:'), {
    default: 'nats://127.0.0.1:4222',
    description: 'NATS server(s) with JetStream, comma-separated for a cluster.',
  }),
  redisUrl: variable('TESSERA_REDIS_URL', url('redis:', 'rediss:'), {
    default: 'redis://127.0.0.1:6379',
    description: 'Redis, for rate limits and the e-mail queue.',
  }),
  redisPrefix: variable(
    'TESSERA_REDIS_PREFIX',
    text(/^[A-Za-z0-9:_.-]{1,64}$/, 'letters, digits, `:_.-`, at most 64'),
    {
      default: 'tessera:',
      description: 'Prefix of every Redis key Tessera writes, so several installations can share one Redis.',
    },
  ),
  rpcTimeoutMs: variable('TESSERA_RPC_TIMEOUT_MS', integer(100, 60_000), {
    default: '5000',
    description:
      'How long a call between services waits for an answer before it fails as `service_unavailable`.',
  }),
  logLevel: variable(
    'TESSERA_LOG_LEVEL',
    oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
    {
      default: 'info',
      description: 'Least severe level written to the JSON log on standard output.',
    },
  ),
  outboxPollMs: variable('TESSERA_OUTBOX_POLL_MS', integer(10, 60_000), {
    default: '1000',
    description:
      'How often the outbox relay looks for events written by other replicas or left by an outage.',
  }),
};

export const gatewayVariables = {
  httpHost: variable('TESSERA_HTTP_HOST', text(/^[\w.:-]+$/, 'a host name or IP address'), {
    default: '0.0.0.0',
    description: 'Address the gateway listens on.',
  }),
  httpPort: variable('TESSERA_HTTP_PORT', integer(1, 65_535), {
    default: '3000',
    description: 'Port of the gateway: the REST API, sign-in flows, `/docs` and health.',
  }),
  publicUrl: variable('TESSERA_PUBLIC_URL', url('http:', 'https:'), {
    default: 'http://localhost:3000',
    description: 'Address users and identity providers reach the gateway at; `https://` turns on HSTS.',
  }),
  healthTimeoutMs: variable('TESSERA_HEALTH_TIMEOUT_MS', integer(50, 30_000), {
    default: '2000',
    description: 'How long `/health/ready` waits for each service and dependency before it reports it down.',
  }),
};

export const allVariables = { ...commonVariables, ...gatewayVariables };

export type CommonConfig = ConfigOf<typeof commonVariables>;
export type GatewayConfig = ConfigOf<typeof commonVariables & typeof gatewayVariables>;
