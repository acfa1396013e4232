import { ConnectionOptions } from 'nats';

/**
 * One policy for every NATS connection: keep reconnecting forever (an outage must not end a service), and name
 * the connection so `nats server report connections` shows who is who.
 */
export function natsConnectionOptions(servers: string[], name: string): ConnectionOptions {
  return {
    servers,
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    pingInterval: 10_000,
    // RpcClient names the subject in its own errors; nats.js's per-request stack traces only cost CPU.
    noAsyncTraces: true,
  };
}
