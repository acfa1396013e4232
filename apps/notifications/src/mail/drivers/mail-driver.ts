/** An e-mail ready to hand to a mail transport. The sender is the driver's (`TESSERA_MAIL_FROM`). */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Derived from the event id, so a receiving server can recognise a copy sent twice after a crash. */
  messageId: string;
  headers: Record<string, string>;
}

/**
 * How e-mails leave Tessera. The worker depends on this, not on SMTP, so another transport (an HTTP mail API)
 * is one class. `send` resolves once the transport accepted the message and rejects with the transport's error;
 * a `PermanentMailError` means retrying the same message cannot succeed.
 */
export interface MailDriver {
  send(mail: OutgoingMail): Promise<void>;
  close(): Promise<void>;
}

export const MAIL_DRIVER = Symbol('MAIL_DRIVER');

/** The transport refused the message for good (e.g. the recipient's server answered 550 No such user). */
export class PermanentMailError extends Error {}
