import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { QueryRedactingExporter } from './query-redaction';
import { markTracing } from './trace-context';

export interface TracingOptions {
  service: string;
  /** The collector's base address; `/v1/traces` is appended as the OTLP/HTTP specification says. */
  endpoint: string;
  protocol: 'http/protobuf' | 'http/json';
}

/** Spans wait at most this long in memory: a process stopped by SIGTERM loses at most this much of its last work. */
const EXPORT_EVERY_MS = 1000;

/** Paths no one wants a trace of: probes every few seconds, and scrapes (which have their own port anyway). */
const UNTRACED_PATHS = /^\/(health\/|metrics$)/;

/**
 * Traces this process and exports them over OTLP/HTTP. Must run before `http`, `express`, `@nestjs/core`, `pg` and
 * `ioredis` are first required (`fetch` is traced through Node's diagnostics channels): instrumentations patch modules as they load. Database and Redis calls are traced
 * only inside a trace (a request, a call, an event), so background polling (the outbox relay, BullMQ's blocking
 * reads) makes no traces of its own; SQL parameters and Redis arguments are never recorded (they hold secrets).
 */
export function startTracing({ service, endpoint, protocol }: TracingOptions): void {
  const url = `${endpoint.replace(/\/$/, '')}/v1/traces`;
  const exporter =
    protocol === 'http/json' ? new JsonTraceExporter({ url }) : new ProtobufTraceExporter({ url });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: service, 'service.namespace': 'tessera' }),
    spanProcessors: [
      new BatchSpanProcessor(new QueryRedactingExporter(exporter), { scheduledDelayMillis: EXPORT_EVERY_MS }),
    ],
    // Every trace is kept: a caller's `traceparent` saying "not sampled" does not take its requests out of them.
    sampler: new ParentBasedSampler({
      root: new AlwaysOnSampler(),
      remoteParentNotSampled: new AlwaysOnSampler(),
    }),
  });
  // `traceparent` only, with the AsyncLocalStorage context manager: no W3C baggage, which a caller could fill and
  // the instrumentations would carry on to identity providers.
  provider.register({ propagator: new W3CTraceContextPropagator() });
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.test(request.url ?? ''),
      }),
      // Route handlers and routers only: a span per middleware (helmet, cookies, …) would bury the request's work.
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
      new NestInstrumentation(),
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: (command) => command }),
      // `fetch`: identity's calls to identity providers (token exchanges, user info, discovery), inside a trace only.
      new UndiciInstrumentation({ requireParentforSpans: true }),
    ],
  });
  markTracing();
  // Nest stops on SIGTERM by closing the app and then re-raising the signal: flush what is buffered meanwhile. A
  // process that had no other listener yet (still starting) is stopped as the signal would have stopped it.
  process.once('SIGTERM', () => {
    void provider
      .forceFlush()
      .catch(() => undefined)
      .finally(() => {
        if (process.listenerCount('SIGTERM') === 0) process.kill(process.pid, 'SIGTERM');
      });
  });
}
