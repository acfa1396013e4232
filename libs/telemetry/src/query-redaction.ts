import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** Attributes that hold a request's address, query string included, under the conventions' old and new names. */
const ADDRESS_ATTRIBUTES = ['url.full', 'http.url', 'http.target'];
const QUERY_ATTRIBUTES = ['url.query'];

/**
 * Query strings carry secrets: an invitation's token, an OAuth `code` and `state`, a device's user code, an API key
 * someone put in a URL before the gateway refused it. Instrumentations record them whole, so every span leaves
 * this process with its addresses cut at `?` and its query attributes dropped.
 */
export class QueryRedactingExporter implements SpanExporter {
  constructor(private readonly inner: SpanExporter) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans.map(withoutQueries), done);
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/** The span as it was, but for its attributes: a view over it, so the span's own methods still answer. */
export function withoutQueries(span: ReadableSpan): ReadableSpan {
  const attributes = { ...span.attributes };
  for (const name of QUERY_ATTRIBUTES) delete attributes[name];
  for (const name of ADDRESS_ATTRIBUTES) {
    const value = attributes[name];
    if (typeof value === 'string') attributes[name] = value.split('?')[0];
  }
  return Object.create(span, { attributes: { value: attributes, enumerable: true } }) as ReadableSpan;
}
