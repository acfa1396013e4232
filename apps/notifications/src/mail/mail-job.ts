import { Role } from '@tessera/contracts';
import { RedisOptions } from 'bullmq';

/** The BullMQ queue of e-mails to send. Its keys are `<TESSERA_REDIS_PREFIX><queue>:…`. */
export const MAIL_QUEUE = 'tessera-mail';

/** Completed jobs are kept as long as JetStream keeps events, so an event delivered again still finds its job. */
export const KEEP_COMPLETED_SECONDS = 7 * 24 * 3600;

/** Who an e-mail goes to: an address from the event, or a user looked up in identity when it is sent. */
export interface Recipient {
  email?: string;
  /** Set when the address is looked up at send time; `email` then holds the last address found, for operators. */
  userId?: string;
}

/**
 * What a queued e-mail carries: enough to render it when it is sent, and nothing secret in the clear — the
 * invitation token stays sealed until the moment the e-mail is rendered. The job id is the event id.
 */
export type MailJobData = {
  eventId: string;
  eventType: string;
  requestId?: string;
  /** The trace of the change the event records, so sending the e-mail is part of it. */
  traceparent?: string;
  /** Rendered at enqueue time (it holds no secret), so failed jobs can be listed without rendering them. */
  subject: string;
  to: Recipient;
} & MailContent;

export type MailContent =
  | {
      kind: 'invitation';
      teamName: string;
      role: Role;
      /** Set when this invitation replaced one with another role, whose link no longer works. */
      previousRole?: Role;
      invitedByName: string | null;
      sealedToken: string;
      expiresAt: string;
    }
  | { kind: 'invitation-accepted'; teamName: string; acceptedEmail: string }
  | { kind: 'role-changed'; teamName: string; from: Role; role: Role }
  | { kind: 'member-removed'; teamName: string };

export type MailKind = MailContent['kind'];

/** BullMQ's own key prefix from Tessera's: `tessera:` → keys `tessera:tessera-mail:…`. */
export function mailQueuePrefix(redisPrefix: string): string {
  return redisPrefix.replace(/:+$/, '') || 'tessera';
}

/**
 * BullMQ's connections (it opens its own, a blocking one for the worker). `maxRetriesPerRequest: null` is what
 * BullMQ requires: a command waits for Redis to come back instead of failing the worker.
 */
export function mailQueueConnection(redisUrl: string, name: string): RedisOptions {
  return { url: redisUrl, connectionName: name, maxRetriesPerRequest: null };
}

/** For logs and the failed-jobs listing: the address, and the user it was looked up for. */
export function describeRecipient(to: Recipient): string {
  if (to.userId) return to.email ? `${to.email} (user ${to.userId})` : `user ${to.userId}`;
  return to.email ?? '(nobody)';
}
