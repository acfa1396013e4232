import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';

/** One span as an OTLP/HTTP JSON export carries it, with the service of the process that made it. */
export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: 'internal' | 'server' | 'client' | 'producer' | 'consumer';
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, string | number | boolean>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: OtlpAttribute[];
}
interface OtlpExport {
  resourceSpans?: Array<{
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: Array<{ spans?: OtlpSpan[] }>;
  }>;
}

const KINDS = ['internal', 'internal', 'server', 'client', 'producer', 'consumer'] as const;

function valueOf(value: OtlpValue): string | number | boolean {
  return value.stringValue ?? value.boolValue ?? value.doubleValue ?? Number(value.intValue ?? 0);
}

function attributesOf(attributes: OtlpAttribute[] = []): Record<string, string | number | boolean> {
  return Object.fromEntries(attributes.map(({ key, value }) => [key, valueOf(value)]));
}

/**
 * A real OTLP/HTTP receiver (`POST /v1/traces`, JSON encoding) on loopback, for processes started with
 * `OTEL_EXPORTER_OTLP_PROTOCOL=http/json`: keeps every span it is sent, decoded.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<OtlpReceiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const receiver = new OtlpReceiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (request, response) => receiver.receive(request, response));
    return receiver;
  }

  /** This machine's clock in a span's unit, to pick the spans of work started from here on. */
  now(): bigint {
    return BigInt(Date.now()) * 1_000_000n;
  }

  /**
   * The spans that started at or after `since`: processes export every second or so, so earlier work can still
   * arrive after a test began.
   */
  spansSince(since: bigint): ReceivedSpan[] {
    return this.spans.filter((span) => span.startNs >= since);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private receive(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/traces') {
        response.writeHead(404).end();
        return;
      }
      this.keep(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  }

  private keep(body: OtlpExport): void {
    for (const { resource, scopeSpans = [] } of body.resourceSpans ?? []) {
      const service = String(attributesOf(resource?.attributes)['service.name'] ?? '?');
      for (const { spans = [] } of scopeSpans) {
        for (const span of spans) {
          this.spans.push({
            service,
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId || undefined,
            name: span.name,
            kind: KINDS[span.kind] ?? 'internal',
            startNs: BigInt(span.startTimeUnixNano),
            endNs: BigInt(span.endTimeUnixNano),
            attributes: attributesOf(span.attributes),
          });
        }
      }
    }
  }
}

/** A span's name, with the address of an outgoing HTTP call (named by its method only), without its query. */
function label(span: ReceivedSpan): string {
  const url = span.attributes['url.full'];
  return typeof url === 'string' && /^[A-Z]+$/.test(span.name)
    ? `${span.name} ${url.split('?')[0]}`
    : span.name;
}

/**
 * One trace as an indented tree, children by start time: `service  kind  name  duration`. Spans whose parent is
 * not in the trace (not exported, or from a process not sending) are printed as roots.
 */
export function traceTree(spans: ReceivedSpan[]): string {
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string | undefined, ReceivedSpan[]>();
  for (const span of spans) {
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  for (const list of children.values()) list.sort((a, b) => (a.startNs < b.startNs ? -1 : 1));
  const lines: string[] = [];
  const walk = (span: ReceivedSpan, prefix: string, last: boolean, root: boolean) => {
    const ms = (Number(span.endNs - span.startNs) / 1e6).toFixed(1);
    const branch = root ? '' : last ? '└─ ' : '├─ ';
    lines.push(
      `${prefix}${branch}${span.service.padEnd(13)} ${span.kind.padEnd(8)} ${label(span)}  ${ms} ms`,
    );
    const kids = children.get(span.spanId) ?? [];
    const nextPrefix = root ? prefix : `${prefix}${last ? '   ' : '│  '}`;
    kids.forEach((kid, i) => walk(kid, nextPrefix, i === kids.length - 1, false));
  };
  for (const root of children.get(undefined) ?? []) walk(root, '', true, true);
  return lines.join('\n');
}
