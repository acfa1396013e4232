import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import {
  currentTraceId,
  currentTraceparent,
  markTracing,
  startEventHandling,
  startRpcCall,
  startRpcHandling,
} from './trace-context';

/** NATS headers as far as the hooks use them: `get` answers '' for a missing header, as `MsgHdrs` does. */
function natsHeaders() {
  const values = new Map<string, string>();
  return {
    set: (name: string, value: string) => void values.set(name, value),
    get: (name: string) => values.get(name) ?? '',
  };
}

describe('trace context across NATS and the outbox', () => {
  const exporter = new InMemorySpanExporter();

  beforeAll(() => {
    new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).register();
    markTracing();
  });

  beforeEach(() => exporter.reset());

  it("makes the responder's span the child of the caller's, through the traceparent header", () => {
    const headers = natsHeaders();
    const call = startRpcCall('tessera.teams.team.create', headers);
    expect(headers.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    const handling = startRpcHandling('tessera.teams.team.create', headers);
    const inside = handling.run(() => ({ traceId: currentTraceId(), traceparent: currentTraceparent() }));
    handling.end('ok');
    call.end('not_found');

    const [server, client] = exporter.getFinishedSpans();
    expect([client.kind, server.kind]).toEqual([SpanKind.CLIENT, SpanKind.SERVER]);
    expect(server.spanContext().traceId).toBe(client.spanContext().traceId);
    expect(server.parentSpanContext?.spanId).toBe(client.spanContext().spanId);
    expect(inside.traceId).toBe(client.spanContext().traceId);
    // What an outbox row written inside the handler keeps: the server span as the parent of the event's consumers.
    expect(inside.traceparent).toBe(`00-${server.spanContext().traceId}-${server.spanContext().spanId}-01`);
    expect(client.status).toEqual({ code: SpanStatusCode.ERROR, message: 'not_found' });
    expect(client.attributes['tessera.outcome']).toBe('not_found');
  });

  it('starts a trace of its own for a message that carries none, and nothing leaks outside `run`', () => {
    const handling = startEventHandling('tessera.events.teams.member.removed', natsHeaders());
    handling.run(() => expect(currentTraceId()).toBeDefined());
    handling.end('ok');
    expect(currentTraceId()).toBeUndefined();
    const [consumer] = exporter.getFinishedSpans();
    expect(consumer.kind).toBe(SpanKind.CONSUMER);
    expect(consumer.parentSpanContext).toBeUndefined();
  });
});
