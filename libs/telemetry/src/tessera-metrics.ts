import { CounterSeries, HistogramSeries, SampledGauge } from './metrics-registry';

/**
 * Every Tessera series, in one place so names, labels and buckets stay consistent (and `deploy/grafana` can be
 * checked against them). Each carries a `service` label (the process). Label values are bounded sets: subjects,
 * error codes, route templates, cache and budget names — never ids, addresses or raw paths.
 */

/** Sub-millisecond resolution: a cached decision or a NATS hop takes ≈ 0.1–0.3 ms. */
const FAST_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];

export const authzDecisions = new CounterSeries({
  name: 'tessera_authz_decisions_total',
  help: 'Decisions of the policy decision point (tessera.authz.check and POST /v1/authz/check) by outcome and reason.',
  labelNames: ['outcome', 'reason', 'via'] as const,
});

export const authzDecisionSeconds = new HistogramSeries({
  name: 'tessera_authz_decision_duration_seconds',
  help: 'Time to decide, from the parsed request to the answer.',
  labelNames: ['outcome', 'via'] as const,
  buckets: FAST_BUCKETS,
});

export const rpcClientSeconds = new HistogramSeries({
  name: 'tessera_rpc_client_duration_seconds',
  help: 'Calls this process made over NATS (RpcClient), by subject and outcome (`ok` or the error code).',
  labelNames: ['subject', 'outcome'] as const,
  buckets: FAST_BUCKETS,
});

export const rpcServerSeconds = new HistogramSeries({
  name: 'tessera_rpc_server_duration_seconds',
  help: 'Calls this process answered over NATS, by subject and outcome (`ok` or the error code); tessera.authz.check is in tessera_authz_decision_duration_seconds.',
  labelNames: ['subject', 'outcome'] as const,
  buckets: FAST_BUCKETS,
});

export const outboxOldestUnpublishedSeconds = new SampledGauge({
  name: 'tessera_outbox_oldest_unpublished_age_seconds',
  help: "Age of the oldest event in this service's outbox not yet published to JetStream (0 when none waits).",
});

export const outboxUnpublished = new SampledGauge({
  name: 'tessera_outbox_unpublished_events',
  help: "Events in this service's outbox not yet published to JetStream.",
});

export const mailQueueJobs = new SampledGauge({
  name: 'tessera_mail_queue_jobs',
  help: 'E-mails in the BullMQ queue by state (waiting, delayed, active, failed).',
  labelNames: ['state'] as const,
});

export const mailSendFailures = new CounterSeries({
  name: 'tessera_mail_send_failures_total',
  help: 'Failed attempts to send an e-mail; `final="true"` when it will not be tried again.',
  labelNames: ['final'] as const,
});

export const mailSent = new CounterSeries({
  name: 'tessera_mail_sent_total',
  help: 'E-mails handed to the SMTP server.',
});

export const cacheLookups = new CounterSeries({
  name: 'tessera_gateway_cache_lookups_total',
  help: 'Lookups in a gateway cache; hit ratio = 1 − misses ÷ lookups.',
  labelNames: ['cache'] as const,
});

export const cacheMisses = new CounterSeries({
  name: 'tessera_gateway_cache_misses_total',
  help: 'Lookups a gateway cache could not answer, so it asked a service (concurrent misses of one key count once).',
  labelNames: ['cache'] as const,
});

export const rateLimitRefusals = new CounterSeries({
  name: 'tessera_rate_limit_refusals_total',
  help: 'Requests refused with `rate_limited`, by budget.',
  labelNames: ['budget'] as const,
});

export const httpRequests = new CounterSeries({
  name: 'tessera_http_requests_total',
  help: 'HTTP requests the gateway answered, by method, route template and status.',
  labelNames: ['method', 'route', 'status'] as const,
});

export const httpRequestSeconds = new HistogramSeries({
  name: 'tessera_http_request_duration_seconds',
  help: 'Time from the first byte of a request to the end of its response, by method and route template.',
  labelNames: ['method', 'route'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});
