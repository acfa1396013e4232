import {
  ConfigOf,
  ed25519PrivateKey,
  integer,
  ipEndpointList,
  oneOf,
  optionalVariable,
  proxyList,
  secret,
  secretList,
  text,
  url,
  urlList,
  variable,
} from './variable';

/**
 * A service's own PostgreSQL login, a role that may only read and write its schema's rows. Given, the service
 * takes its schema as `npm run migrate` left it; not given, it migrates first as `TESSERA_DATABASE_URL`.
 */
function serviceDatabaseUrl(service: string) {
  return optionalVariable(`TESSERA_${service.toUpperCase()}_DATABASE_URL`, url('postgres:', 'postgresql:'), {
    description: `How ${service} logs in to the database of \`TESSERA_DATABASE_URL\`: a role that may only read and write the rows of the \`${service}\` schema, created with this password by \`npm run migrate\` if missing. Set, ${service} does not migrate at start (run \`npm run migrate\` first). Unset: ${service} migrates as \`TESSERA_DATABASE_URL\`, then logs in as \`tessera_${service}\` with that URL's password.`,
    secret: true,
  });
}

/**
 * Every variable Tessera reads. Processes take the groups they need, so a service never fails on a setting it
 * does not use. The README's configuration table is rendered from these definitions (see `configTable`).
 */
export const databaseVariables = {
  databaseUrl: variable('TESSERA_DATABASE_URL', url('postgres:', 'postgresql:'), {
    default: 'postgres://postgres@127.0.0.1:5432/tessera',
    description:
      'PostgreSQL database (created if missing), and the login migrations run as: it owns every service\'s schema and tables, and creates the services\' roles when it may (README "Database roles"). `npm run migrate`, `npm start` and a service without a login of its own use it.',
  }),
  identityDatabaseUrl: serviceDatabaseUrl('identity'),
  teamsDatabaseUrl: serviceDatabaseUrl('teams'),
  keysDatabaseUrl: serviceDatabaseUrl('keys'),
  notificationsDatabaseUrl: serviceDatabaseUrl('notifications'),
};

/** NATS and Redis: every process, the gateway included, reads these. */
const busAndCacheVariables = {
  natsUrls: variable('TESSERA_NATS_URL', urlList('nats:', 'tls:'), {
    default: 'nats://127.0.0.1:4222',
    description: 'NATS server(s) with JetStream, comma-separated for a cluster.',
  }),
  natsUser: optionalVariable('TESSERA_NATS_USER', text(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, `_-`'), {
    description:
      'User this process logs in to NATS as; a deployment gives each service its own, limited to its own subjects (`deploy/nats/nats.conf`). Its replies come on the inbox prefix `_INBOX_<user>`. Unset: no login, for an open local NATS.',
  }),
  natsPassword: optionalVariable('TESSERA_NATS_PASSWORD', text(/^\S+$/, 'a password'), {
    description: 'Password of `TESSERA_NATS_USER`.',
    secret: true,
  }),
  natsPrefix: variable(
    'TESSERA_NATS_PREFIX',
    text(
      /^[a-z0-9_-]{1,32}$/,
      'one subject token: lowercase letters, digits, `_-`, at most 32 (no dots, no wildcards)',
    ),
    {
      default: 'tessera',
      description:
        'First token of every NATS subject, and of the event stream\'s name (`<PREFIX>_EVENTS`), so several installations can share one NATS; other services then ask `<prefix>.authz.check`. Change the NATS users to match (README "NATS users").',
    },
  ),
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
  publicUrl: variable('TESSERA_PUBLIC_URL', url('http:', 'https:'), {
    default: 'http://localhost:3000',
    description:
      'Address users and identity providers reach the gateway at (OAuth redirect URIs, token issuer); `https://` turns on HSTS and `Secure` cookies.',
  }),
  outboxPollMs: variable('TESSERA_OUTBOX_POLL_MS', integer(10, 60_000), {
    default: '1000',
    description:
      'How often the outbox relay looks for events written by other replicas or left by an outage.',
  }),
};

/** What every service process behind the gateway reads first: its database, NATS and Redis. */
export const commonVariables = { ...databaseVariables, ...busAndCacheVariables };

/**
 * Metrics and traces: read by every process before anything else loads (see libs/telemetry), and validated again
 * with the rest of the process's variables.
 */
export const telemetryVariables = {
  metricsPort: optionalVariable('TESSERA_METRICS_PORT', integer(1, 65_530), {
    description:
      'Base port of the Prometheus metrics endpoints (`GET /metrics`); each process adds its offset: gateway +0, identity +1, teams +2, keys +3, notifications +4. Unset: no metrics are kept or served.',
  }),
  metricsHost: variable('TESSERA_METRICS_HOST', text(/^[\w.:-]+$/, 'a host name or IP address'), {
    default: '0.0.0.0',
    description: 'Address the metrics endpoints listen on.',
  }),
  otlpEndpoint: optionalVariable('OTEL_EXPORTER_OTLP_ENDPOINT', url('http:', 'https:'), {
    description:
      'OTLP/HTTP collector that receives traces (`/v1/traces` is appended), e.g. `http://otel-collector:4318`. Unset: nothing is traced.',
  }),
  otlpProtocol: variable('OTEL_EXPORTER_OTLP_PROTOCOL', oneOf('http/protobuf', 'http/json'), {
    default: 'http/protobuf',
    description: 'Encoding of exported traces; gRPC is not offered.',
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
  trustedProxies: variable('TESSERA_TRUSTED_PROXIES', proxyList, {
    default: 'loopback',
    description:
      "Proxies or load balancers in front of the gateway whose `X-Forwarded-For` gives the client address (for rate limits and sessions): IP addresses, CIDR ranges or `loopback`, `linklocal`, `uniquelocal`, comma-separated. Anyone else's `X-Forwarded-For` is ignored.",
  }),
  healthTimeoutMs: variable('TESSERA_HEALTH_TIMEOUT_MS', integer(50, 30_000), {
    default: '2000',
    description:
      'How long `/health/ready` and `/health/services` wait for each dependency and service before they report it down.',
  }),
  credentialCacheSeconds: variable('TESSERA_CREDENTIAL_CACHE_SECONDS', integer(1, 3600), {
    default: '300',
    description:
      'How long the gateway keeps a verified key, a membership or a user profile without asking again. Changes reach every gateway at once through events; this bounds staleness if one is missed.',
  }),
  keyFailureLimit: variable('TESSERA_KEY_FAILURE_LIMIT', integer(1, 1_000_000), {
    default: '30',
    description:
      'Failed credential checks allowed per client address per minute; beyond it, that address gets `rate_limited` until the minute ends.',
  }),
  invitationsPerUserHour: variable('TESSERA_INVITATIONS_PER_USER_HOUR', integer(1, 1_000_000), {
    default: '100',
    description:
      'Invitation e-mails (new, resent, or CSV rows) one person may send per hour, all teams together; beyond it, `rate_limited`.',
  }),
  invitationsPerTeamHour: variable('TESSERA_INVITATIONS_PER_TEAM_HOUR', integer(1, 1_000_000), {
    default: '200',
    description: 'Invitation e-mails one team may send per hour, all its Admins together.',
  }),
  invitationsPerRecipientDay: variable('TESSERA_INVITATIONS_PER_RECIPIENT_DAY', integer(1, 1_000_000), {
    default: '10',
    description:
      'Invitation e-mails one address may receive per day (24 hours from the first), from all teams together.',
  }),
  codeAttemptsPerUserHour: variable('TESSERA_CODE_ATTEMPTS_PER_USER_HOUR', integer(1, 1_000_000), {
    default: '60',
    description:
      'Device codes looked up, approved or denied and invitations accepted per signed-in person per hour (codes and links cannot be guessed from one account).',
  }),
  usageFlushMs: variable('TESSERA_USAGE_FLUSH_MS', integer(50, 60_000), {
    default: '1000',
    description: 'How often each gateway sends the usage it counted (one database write per interval).',
  }),
  nodeEnv: optionalVariable('NODE_ENV', text(/^\S+$/, 'a word such as `production`'), {
    description:
      '`production` forbids the development shortcuts of a first run (the development sign-in and `/dev/mail`), whatever else is set.',
  }),
  developmentSignIn: variable('TESSERA_DEVELOPMENT_SIGN_IN', oneOf('on', 'off'), {
    default: 'off',
    description:
      '`on`: the Google provider is the embedded development one `npm start` runs on a first run, and the sign-in page offers "Continue with a development account". Set by `npm start`; refused unless `TESSERA_PUBLIC_URL` is loopback and `NODE_ENV` is not `production`.',
  }),
  developmentMailDir: optionalVariable('TESSERA_DEVELOPMENT_MAIL_DIR', text(/^\/.*$/, 'an absolute path'), {
    description:
      'Directory where the mail catcher of a first run keeps the e-mails it caught; set, the gateway shows them at `/dev/mail` to loopback clients. Set by `npm start`; refused like `TESSERA_DEVELOPMENT_SIGN_IN`.',
  }),
};

/** Sign-in and tokens: read by identity (which signs and verifies) and the gateway (which checks and limits). */
export const authVariables = {
  secretKey: variable('TESSERA_SECRET_KEY', secret(32), {
    description:
      'Root secret (32+ characters, e.g. `openssl rand -base64 48`): signs cookies and the commands services send each other, seals the stored signing key and invitation links, peppers API key hashes. Every service records its fingerprint and refuses to start under another one (see "Rotating TESSERA_SECRET_KEY"). `npm start` makes a development one if unset.',
    secret: true,
  }),
  secretKeyPrevious: optionalVariable('TESSERA_SECRET_KEY_PREVIOUS', secretList(32), {
    description:
      'Older root secrets, comma-separated, during a rotation: what they sealed or signed still opens and is moved to `TESSERA_SECRET_KEY`. Remove them once every service has started with the new one and the API keys have been used.',
    secret: true,
  }),
  githubUrl: variable('TESSERA_GITHUB_URL', url('http:', 'https:'), {
    default: 'https://github.com',
    description: 'GitHub web address; for GitHub Enterprise Server, e.g. `https://github.example.com`.',
  }),
  githubApiUrl: variable('TESSERA_GITHUB_API_URL', url('http:', 'https:'), {
    default: 'https://api.github.com',
    description: 'GitHub REST API; for GitHub Enterprise Server, e.g. `https://github.example.com/api/v3`.',
  }),
  githubClientId: optionalVariable('TESSERA_GITHUB_CLIENT_ID', text(/^\S+$/, 'an OAuth app client id'), {
    description: 'Client id of the GitHub OAuth app; GitHub sign-in is off without it.',
  }),
  githubClientSecret: optionalVariable('TESSERA_GITHUB_CLIENT_SECRET', text(/^\S+$/, 'a client secret'), {
    description: 'Client secret of the GitHub OAuth app.',
    secret: true,
  }),
  googleIssuer: variable('TESSERA_GOOGLE_ISSUER', url('http:', 'https:'), {
    default: 'https://accounts.google.com',
    description: 'OpenID Connect issuer used for "Sign in with Google" (any OpenID provider works).',
  }),
  googleClientId: optionalVariable('TESSERA_GOOGLE_CLIENT_ID', text(/^\S+$/, 'an OAuth client id'), {
    description: 'OAuth client id from Google Cloud; Google sign-in is off without it.',
  }),
  googleClientSecret: optionalVariable('TESSERA_GOOGLE_CLIENT_SECRET', text(/^\S+$/, 'a client secret'), {
    description: 'OAuth client secret from Google Cloud.',
    secret: true,
  }),
  jwtPrivateKey: optionalVariable('TESSERA_JWT_PRIVATE_KEY', ed25519PrivateKey, {
    description:
      'Ed25519 private key (PKCS#8 PEM) that signs access tokens. Unset: one is generated once and stored encrypted.',
    secret: true,
  }),
  accessTokenTtlSeconds: variable('TESSERA_ACCESS_TOKEN_TTL_SECONDS', integer(60, 86_400), {
    default: '600',
    description: 'Lifetime of an access token (Bearer).',
  }),
  sessionTtlDays: variable('TESSERA_SESSION_TTL_DAYS', integer(1, 365), {
    default: '30',
    description: 'How long a session (its refresh token) lasts without being used.',
  }),
  authRateLimit: variable('TESSERA_AUTH_RATE_LIMIT', integer(1, 100_000), {
    default: '60',
    description:
      'Sign-in, callback, token, device and invitation-accept requests allowed per client address per minute.',
  }),
};

/** E-mail: read by notifications, which turns events into e-mails sent over SMTP through a BullMQ queue. */
export const notificationsVariables = {
  smtpUrl: variable('TESSERA_SMTP_URL', url('smtp:', 'smtps:'), {
    default: 'smtp://127.0.0.1:1025',
    description:
      'SMTP server e-mails are sent through: `smtp://` (STARTTLS when offered) or `smtps://` (TLS), with `user:password@` if it needs a login.',
    secret: true,
  }),
  mailFrom: variable(
    'TESSERA_MAIL_FROM',
    text(/^(?:[^<>\r\n]*<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/, 'an address, or `Name <address>`'),
    {
      default: 'Tessera <no-reply@localhost>',
      description: 'Sender of every e-mail Tessera sends.',
    },
  ),
  mailAttempts: variable('TESSERA_MAIL_ATTEMPTS', integer(1, 100), {
    default: '8',
    description:
      'How many times an e-mail is tried before it is kept as failed (see `npm run notifications:failed`).',
  }),
  mailBackoffMs: variable('TESSERA_MAIL_BACKOFF_MS', integer(10, 3_600_000), {
    default: '30000',
    description: 'Wait before an e-mail is tried again; it doubles after each further failed attempt.',
  }),
};

/** Teams and invitations. */
export const teamsVariables = {
  invitationTtlDays: variable('TESSERA_INVITATION_TTL_DAYS', integer(1, 90), {
    default: '7',
    description: 'How long an invitation link stays valid.',
  }),
};

/** Retention: how long rows are kept, and how the sweeps that delete older ones run (decision 026). */
export const retentionVariables = {
  sweepIntervalSeconds: variable('TESSERA_SWEEP_INTERVAL_SECONDS', integer(10, 86_400), {
    default: '300',
    description:
      'How often each service runs its retention sweeps: expired sign-in attempts, device grants and SAML state (identity), published outbox rows (every service), old usage (keys) and superseded policy versions (teams). One replica at a time sweeps.',
  }),
  sweepBatchSize: variable('TESSERA_SWEEP_BATCH_SIZE', integer(10, 100_000), {
    default: '1000',
    description:
      'Rows a sweep deletes per statement; each batch is its own short transaction, so a backlog never holds long locks.',
  }),
  outboxRetentionDays: variable('TESSERA_OUTBOX_RETENTION_DAYS', integer(1, 365), {
    default: '7',
    description:
      "How long a published event stays in its service's outbox table; the default matches how long the `TESSERA_EVENTS` stream keeps it. Unpublished events are never deleted.",
  }),
  usageRetentionDays: variable('TESSERA_USAGE_RETENTION_DAYS', integer(1, 3650), {
    default: '400',
    description:
      'How long hourly usage counts are kept; the default covers the longest usage report (366 days) with a month to spare.',
  }),
  policyHistoryDays: variable('TESSERA_POLICY_HISTORY_DAYS', integer(1, 3650), {
    default: '365',
    description:
      'How long a policy version stays listed in `…/policies/versions` after a newer one replaced it; the current version is always kept.',
  }),
};

/** Verified domains: read by identity, which looks up the TXT records organizations publish. */
export const domainVariables = {
  dnsServers: optionalVariable('TESSERA_DNS_SERVERS', ipEndpointList, {
    description:
      'DNS servers that domain verification asks for TXT records: IP addresses with optional ports, comma-separated, e.g. `192.0.2.53:53`. Unset: the resolvers of the operating system.',
  }),
  domainRecheckHours: variable('TESSERA_DOMAIN_RECHECK_HOURS', integer(1, 168), {
    default: '24',
    description:
      'How often identity looks up the TXT record of every verified domain again; a domain whose record is missing at consecutive checks lapses (a failed lookup counts for nothing) (see `TESSERA_DOMAIN_LAPSE_AFTER_FAILURES`).',
  }),
  domainLapseAfterFailures: variable('TESSERA_DOMAIN_LAPSE_AFTER_FAILURES', integer(1, 30), {
    default: '3',
    description:
      'Consecutive failed re-checks after which a verified domain lapses: it is unverified again (the organization publishes its record and verifies again) and `domain.lapsed` is emitted.',
  }),
};

/** Probes of the services, which have no HTTP port of their own otherwise. */
export const probeVariables = {
  healthPort: optionalVariable('TESSERA_HEALTH_PORT', integer(1, 65_535), {
    description:
      'Port of a small HTTP server in each service (not the gateway, which has its own) answering `GET /health/live` and `GET /health/ready` (200, or 503 when a dependency is down; only up or down), for container and Kubernetes probes. Unset: none.',
  }),
};

/** What every service process reads: they share one environment in a deployment. */
export const serviceVariables = {
  ...commonVariables,
  ...telemetryVariables,
  ...authVariables,
  ...teamsVariables,
  ...retentionVariables,
  ...domainVariables,
  ...notificationsVariables,
  ...probeVariables,
};

/**
 * What the gateway reads. No database: it holds no tables, and its readiness asks NATS, Redis and identity (see
 * docs/decisions/029-readiness-and-compose.md), so it is given no database credentials at all.
 */
export const gatewayProcessVariables = {
  ...busAndCacheVariables,
  ...telemetryVariables,
  ...authVariables,
  ...gatewayVariables,
};

export const allVariables = { ...serviceVariables, ...gatewayVariables };

/**
 * Every root secret a process accepts, the current one first: the current one seals and signs, all of them open
 * and verify. The one place code picks up `TESSERA_SECRET_KEY_PREVIOUS` (cookies, sealed values, key hashes,
 * command tokens).
 */
export function secretKeys(config: {
  readonly secretKey: string;
  readonly secretKeyPrevious?: readonly string[];
}): readonly string[] {
  return [config.secretKey, ...(config.secretKeyPrevious ?? []).filter((key) => key !== config.secretKey)];
}

export type CommonConfig = ConfigOf<typeof commonVariables>;
export type TelemetryConfig = ConfigOf<typeof telemetryVariables>;
export type ServiceConfig = ConfigOf<typeof serviceVariables>;
export type GatewayConfig = ConfigOf<typeof gatewayProcessVariables>;
/** Every variable: what a tool that starts or tests all five processes on one environment reads. */
export type PlatformConfig = ConfigOf<typeof allVariables>;
