import { Transporter, createTransport } from 'nodemailer';
import SMTPTransport from 'nodemailer/lib/smtp-transport';
import { MailDriver, OutgoingMail, PermanentMailError } from './mail-driver';

export interface SmtpDriverOptions {
  /** `smtp://[user:password@]host:port` or `smtps://…`; query parameters pass options to nodemailer. */
  url: string;
  from: string;
}

/**
 * Sends through an SMTP server with nodemailer, one connection per message (e-mails are few; nothing to keep
 * open or to break while the server restarts). Timeouts are short so a hung server fails the attempt — BullMQ
 * retries it later — instead of holding a worker slot for minutes.
 */
export class SmtpDriver implements MailDriver {
  private readonly transporter: Transporter<SMTPTransport.SentMessageInfo>;

  constructor(private readonly options: SmtpDriverOptions) {
    this.transporter = createTransport(
      new SMTPTransport({
        url: options.url,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
        logger: false,
      }),
    );
  }

  async send(mail: OutgoingMail): Promise<void> {
    try {
      await this.transporter.sendMail({
        from: this.options.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        headers: mail.headers,
      });
    } catch (error) {
      throw isPermanent(error) ? new PermanentMailError(messageOf(error)) : error;
    }
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}

/**
 * A 5xx answer to the envelope (the recipient refused) will not change on a retry. Other 5xx answers (a bad
 * login, a misconfigured relay) are retried: an operator may fix them while the attempts last.
 */
function isPermanent(error: unknown): boolean {
  const { code, responseCode } = (error ?? {}) as { code?: string; responseCode?: number };
  return code === 'EENVELOPE' && typeof responseCode === 'number' && responseCode >= 500;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
