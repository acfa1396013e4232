import { CommonConfig } from '@tessera/config';
import { ConnectionOptions } from 'nats';

/** Where a process finds NATS and who it logs in as. */
export type NatsLogin = Pick<CommonConfig, 'natsUrls' | 'natsUser' | 'natsPassword'>;

/**
 * The inbox prefix of a NATS user. A server that enforces permissions lets each user subscribe to its own inboxes
 * only, so no one else can read the replies it gets (refresh tokens, new key secrets).
 */
export function inboxPrefixOf(user: string): string {
  return `_INBOX_${user}`;
}

/**
 * One policy for every NATS connection: keep reconnecting forever (an outage must not end a service), name the
 * connection so `nats server report connections` shows who is who, and log in as the configured user.
 */
export function natsConnectionOptions(login: NatsLogin, name: string): ConnectionOptions {
  return {
    servers: login.natsUrls,
    name,
    ...natsCredentials(login),
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    pingInterval: 10_000,
    // RpcClient names the subject in its own errors; nats.js's per-request stack traces only cost CPU.
    noAsyncTraces: true,
  };
}

/** The login part alone, for short-lived connections (health checks, start-up probes). */
export function natsCredentials({ natsUser, natsPassword }: NatsLogin): ConnectionOptions {
  if (!natsUser) return {};
  return { user: natsUser, pass: natsPassword, inboxPrefix: inboxPrefixOf(natsUser) };
}
