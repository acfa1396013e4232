import {
  InMemorySpanExporter,
  BasicTracerProvider,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { QueryRedactingExporter } from './query-redaction';

describe('QueryRedactingExporter', () => {
  it('exports addresses without their query strings, and the rest of the span as it was', async () => {
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(new QueryRedactingExporter(memory))],
    });
    const span = provider.getTracer('test').startSpan('GET /invitations/accept', {
      attributes: {
        'url.full': 'https://tessera.example/invitations/accept?token=inv_secret',
        'http.target': '/v1/me?key=tsk_secret',
        'http.url': 'https://tessera.example/auth/github/callback?code=oauth_code&state=oauth_state',
        'url.query': 'token=inv_secret',
        'url.path': '/invitations/accept',
        'http.request.method': 'GET',
      },
    });
    span.end();
    await provider.forceFlush();

    const [exported] = memory.getFinishedSpans();
    expect(exported.attributes).toEqual({
      'url.full': 'https://tessera.example/invitations/accept',
      'http.target': '/v1/me',
      'http.url': 'https://tessera.example/auth/github/callback',
      'url.path': '/invitations/accept',
      'http.request.method': 'GET',
    });
    expect(JSON.stringify(exported.attributes)).not.toMatch(/secret|oauth_/);
    expect(exported.name).toBe('GET /invitations/accept');
    expect(exported.spanContext().traceId).toBe(span.spanContext().traceId);
  });
});
