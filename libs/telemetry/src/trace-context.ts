import { Context, Span, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { rpcClientSeconds, rpcServerSeconds } from './tessera-metrics';

/**
 * Spans and W3C trace context (`traceparent`) for what OpenTelemetry does not instrument by itself: NATS requests
 * and their responders, and events that travel through a service's outbox and JetStream. Without tracing (no
 * OTLP endpoint) these only time the call for the metrics: no span, no header, no context switch.
 */

/** The W3C header (and envelope field) that carries a trace from one process to the next. */
export const TRACEPARENT_HEADER = 'traceparent';

const tracer = trace.getTracer('tessera');
let tracing = false;

/** Called once tracing is set up (see `startTracing`). */
export function markTracing(): void {
  tracing = true;
}

/** What a NATS `MsgHdrs` offers: `get` answers '' for a missing header. */
export interface HeaderReader {
  get(name: string): string;
}
export interface HeaderWriter {
  set(name: string, value: string): void;
}

const fromHeaders = {
  keys: () => [],
  get: (carrier: HeaderReader, key: string) => carrier.get(key) || undefined,
};
const toHeaders = { set: (carrier: HeaderWriter, key: string, value: string) => carrier.set(key, value) };

/** A call or handling in progress: `end` records its outcome, `ok` or an error code. */
export interface Operation {
  end(outcome: string): void;
}

/** One handling in progress, whose work must run inside `run` to be part of its trace. */
export interface Handling extends Operation {
  run<T>(work: () => T): T;
}

function ender(span: Span, record: (outcome: string) => void): (outcome: string) => void {
  return (outcome) => {
    record(outcome);
    span.setAttribute('tessera.outcome', outcome);
    if (outcome !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
    span.end();
  };
}

/** An outgoing request on `subject`: a client span, whose `traceparent` goes into the message's headers. */
export function startRpcCall(subject: string, headers: HeaderWriter): Operation {
  const stop = rpcClientSeconds.start();
  const record = (outcome: string) => stop({ subject, outcome });
  if (!tracing) return { end: record };
  const span = tracer.startSpan(subject, {
    kind: SpanKind.CLIENT,
    attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject },
  });
  propagation.inject(trace.setSpan(context.active(), span), headers, toHeaders);
  return { end: ender(span, record) };
}

/**
 * A request on `subject` being answered: a server span, the child of the caller's if its headers name one. `timed:
 * false` leaves it out of `tessera_rpc_server_duration_seconds`, for a responder that records its own latency.
 */
export function startRpcHandling(
  subject: string,
  headers: HeaderReader | undefined,
  { timed = true }: { timed?: boolean } = {},
): Handling {
  if (!timed) return handling(subject, SpanKind.SERVER, headers, () => undefined);
  const stop = rpcServerSeconds.start();
  return handling(subject, SpanKind.SERVER, headers, (outcome) => stop({ subject, outcome }));
}

/** An event taken off JetStream: a consumer span, the child of whatever wrote the event to its outbox. */
export function startEventHandling(subject: string, headers: HeaderReader | undefined): Handling {
  return handling(subject, SpanKind.CONSUMER, headers, () => undefined);
}

/** A queued job (an e-mail) being worked on: a consumer span, the child of the work whose `traceparent` it kept. */
export function startJobHandling(name: string, traceparent: string | undefined): Handling {
  const headers = traceparent
    ? { get: (key: string) => (key === TRACEPARENT_HEADER ? traceparent : '') }
    : undefined;
  return handling(name, SpanKind.CONSUMER, headers, () => undefined);
}

const untraced: Pick<Handling, 'run'> = { run: (work) => work() };

function handling(
  subject: string,
  kind: SpanKind,
  headers: HeaderReader | undefined,
  record: (outcome: string) => void,
): Handling {
  if (!tracing) return { ...untraced, end: record };
  const parent: Context = headers
    ? propagation.extract(context.active(), headers, fromHeaders)
    : context.active();
  const span = tracer.startSpan(
    subject,
    { kind, attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject } },
    parent,
  );
  const active = trace.setSpan(parent, span);
  return { run: (work) => context.with(active, work), end: ender(span, record) };
}

/** The `traceparent` of the work in progress, to store with an event so its consumers join the same trace. */
export function currentTraceparent(): string | undefined {
  if (!tracing) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** The id of the trace in progress, for log lines; undefined without tracing or outside a trace. */
export function currentTraceId(): string | undefined {
  return tracing ? trace.getActiveSpan()?.spanContext().traceId : undefined;
}
