import { IncomingHttpHeaders, Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  /** The path with its query. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface StandInReply {
  status: number;
  /** Sent as JSON; absent: an empty body. */
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * An HTTP server on a loopback port that answers each request as the test's function says and records it: a
 * stand-in for an API whose client is under test, when what matters is what the client sends and how it reads
 * the answers.
 */
export class HttpStandIn {
  readonly seen: SeenRequest[] = [];
  private readonly server: Server;
  private port = 0;

  private constructor(reply: (request: SeenRequest) => StandInReply) {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const seen = {
          method: request.method ?? '',
          path: request.url ?? '',
          headers: request.headers,
          body,
        };
        this.seen.push(seen);
        const answer = reply(seen);
        response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        response.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      });
    });
  }

  static async start(reply: (request: SeenRequest) => StandInReply): Promise<HttpStandIn> {
    const standIn = new HttpStandIn(reply);
    await new Promise<void>((listening) => standIn.server.listen(0, '127.0.0.1', listening));
    standIn.port = (standIn.server.address() as AddressInfo).port;
    return standIn;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  stop(): Promise<void> {
    return new Promise((closed) => this.server.close(() => closed()));
  }
}
