import { parseMessage } from '@tessera/runtime';
import { SMTPServer } from 'smtp-server';
import { freePort } from './free-port';

/** An e-mail as the sink received it, parsed just enough for assertions. */
export interface ReceivedMail {
  from: string;
  /** Envelope recipients (RCPT TO). */
  to: string[];
  subject: string;
  headers: Map<string, string>;
  text: string;
  html: string;
  raw: string;
}

/**
 * A real SMTP server (`smtp-server`, the one nodemailer's authors ship) on a loopback port, collecting every
 * message. It can be stopped and started again on the same port, to play an SMTP outage.
 */
export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  private server?: SMTPServer;
  private waiters: (() => void)[] = [];

  private constructor(readonly port: number) {}

  /** A sink on a free port; `listening: false` only reserves the address, for a test that starts it later. */
  static async start(options: { listening?: boolean } = {}): Promise<SmtpSink> {
    const sink = new SmtpSink(await freePort());
    if (options.listening !== false) await sink.resume();
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async resume(): Promise<void> {
    if (this.server) return;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'], // plain SMTP on loopback; nodemailer would otherwise upgrade and fail on the self-signed certificate
      disableReverseLookup: true,
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          this.messages.push({
            ...parseMessage(raw),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
          });
          for (const wake of this.waiters.splice(0)) wake();
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    server.on('error', () => undefined);
    this.server = server;
  }

  /** Stops accepting connections (an outage); messages already received are kept. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Resolves with the messages once at least `count` have arrived; rejects (saying how many did) after the timeout. */
  async waitFor(count: number, timeoutMs = 10_000): Promise<ReceivedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `expected ${count} e-mails within ${timeoutMs} ms, got ${this.messages.length}: ${this.messages
            .map((m) => `${m.to.join(',')} "${m.subject}"`)
            .join('; ')}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.messages;
  }
}
