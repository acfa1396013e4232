import { NatsNamespace, TesseraError } from '@tessera/contracts';
import { Logger } from '@tessera/runtime';
import { startRpcHandling } from '@tessera/telemetry';
import { JSONCodec, Msg, NatsConnection } from 'nats';
import { ERROR_STATUS } from '../http/error-status';

const codec = JSONCodec();

/** What a plain JSON subject of the gateway answers a request with; `undefined` input is a body that is not JSON. */
export type PlainJsonHandler = (request: unknown) => Promise<unknown>;

/**
 * Answers `subject` in the `gateway` queue group with plain JSON in and out, for services that are not Tessera
 * and may use any NATS client: no envelope, no interceptors, one decode and one encode. A `TesseraError` is
 * answered `{ error: { code, message, details? } }`; anything else `internal`. Only server errors are logged (never
 * the request: it may carry a credential). `timed: false` for a handler that records its own latency.
 */
export function answerPlainJson(
  nc: NatsConnection,
  namespace: NatsNamespace,
  logger: Logger,
  subject: string,
  handle: PlainJsonHandler,
  { timed = true }: { timed?: boolean } = {},
): void {
  nc.subscribe(namespace.subject(subject), {
    queue: 'gateway',
    callback: (error, message) => {
      if (error) return;
      const handling = startRpcHandling(subject, message.headers, { timed });
      void handling.run(async () => handling.end(await answer(message, handle, logger, subject)));
    },
  });
}

/** Answers the message; resolves with the outcome for the metrics (`ok`, or the code of the error answered). */
async function answer(
  message: Msg,
  handle: PlainJsonHandler,
  logger: Logger,
  subject: string,
): Promise<string> {
  let request: unknown;
  try {
    request = codec.decode(message.data);
  } catch {
    request = undefined;
  }
  try {
    message.respond(codec.encode(await handle(request)));
    return 'ok';
  } catch (error) {
    const known = error instanceof TesseraError;
    // A refusal (bad request, credential, role, size) is an answer, not a failure of Tessera: only what HTTP would
    // answer as a server error is worth an error line (`unauthorized_caller` is a misconfiguration), except a
    // service that is down, which its own health reports.
    const failed = !known || (ERROR_STATUS[error.code] >= 500 && error.code !== 'service_unavailable');
    if (failed) logger.error({ err: error }, `${subject} failed`);
    const code = known ? error.code : 'internal';
    const text = known ? error.message : 'The request could not be answered.';
    const details = known && error.details?.length ? { details: error.details } : {};
    message.respond(codec.encode({ error: { code, message: text, ...details } }));
    return code;
  }
}
