import { randomUUID } from 'node:crypto';
import {
  ErrorCode as NatsErrorCode,
  JSONCodec,
  MsgHdrs,
  NatsConnection,
  NatsError,
  headers as natsHeaders,
} from 'nats';
import { startRpcCall } from '@tessera/telemetry';
import { ErrorBodySchema } from './error-codes';
import { ServiceUnavailableError, TesseraError, UnavailableReason } from './errors';
import { CALLER_TOKEN_HEADER, REQUEST_ID_HEADER } from './headers';
import { NatsNamespace } from './nats-namespace';
import { RpcReply, RpcRequest, RpcSubject, serviceOfSubject } from './subjects';

export interface RpcClientOptions {
  /** Default time to wait for a reply. */
  timeoutMs: number;
  /** The request id of the work in progress, so it follows the call to the next service. */
  currentRequestId?: () => string | undefined;
  /** Mints the command token of each call; without it calls carry none, which only open subjects accept. */
  signer?: CallerTokenSigner;
  /** The installation's subjects on the wire; the default prefix when unset. */
  namespace?: NatsNamespace;
}

/** Mints a short-lived token bound to one call's subject and data (see `CommandTokenSigner` in libs/runtime). */
export interface CallerTokenSigner {
  sign(subject: string, data: unknown): string;
}

/** Nest's NATS transport frames: a request carries an id; the reply echoes it with a response or an error. */
interface RequestPacket {
  pattern: string;
  data: unknown;
  id: string;
}
interface ReplyPacket {
  id?: string;
  response?: unknown;
  err?: unknown;
}

const codec = JSONCodec<unknown>();
const DEFAULT_NAMESPACE = new NatsNamespace();

/**
 * The one way services call each other. Every call has a timeout, carries the request id, and fails with a
 * `TesseraError` whose code survived the hop — `service_unavailable` (with the service's name) when nobody
 * answered, so callers never hang and never see a transport-level exception.
 */
export class RpcClient {
  constructor(
    private readonly nc: NatsConnection,
    private readonly options: RpcClientOptions,
  ) {}

  async request<S extends RpcSubject>(
    subject: S,
    data: RpcRequest<S>,
    options: { timeoutMs?: number } = {},
  ): Promise<RpcReply<S>> {
    const headers = natsHeaders();
    const requestId = this.options.currentRequestId?.();
    if (requestId) headers.set(REQUEST_ID_HEADER, requestId);
    // Minted for every subject, open ones too: which subjects are open may differ between versions in a rollout.
    if (this.options.signer) headers.set(CALLER_TOKEN_HEADER, this.options.signer.sign(subject, data));
    const packet: RequestPacket = { pattern: subject, data, id: randomUUID() };
    // Timed and traced from here, so a call's span and latency include the wait for a reply, not the signing.
    const call = startRpcCall(subject, headers);
    try {
      const reply = await this.send(subject, packet, headers, options.timeoutMs ?? this.options.timeoutMs);
      call.end('ok');
      return reply as RpcReply<S>;
    } catch (error) {
      call.end(error instanceof TesseraError ? error.code : 'internal');
      throw error;
    }
  }

  private async send(
    subject: RpcSubject,
    packet: RequestPacket,
    headers: MsgHdrs,
    timeout: number,
  ): Promise<unknown> {
    let replyData: Uint8Array;
    try {
      replyData = (
        await this.nc.request(this.wireSubject(subject), codec.encode(packet), { timeout, headers })
      ).data;
    } catch (error) {
      throw new ServiceUnavailableError(serviceOfSubject(subject), unavailableReason(error));
    }
    const reply = codec.decode(replyData) as ReplyPacket;
    if (reply.err !== undefined && reply.err !== null) throw remoteError(reply.err);
    return reply.response;
  }

  /** Tokens, packets and errors name the canonical subject; only the NATS request goes to the installation's. */
  private wireSubject(subject: RpcSubject): string {
    return (this.options.namespace ?? DEFAULT_NAMESPACE).subject(subject);
  }
}

function unavailableReason(error: unknown): UnavailableReason {
  if (error instanceof NatsError) {
    if (error.code === NatsErrorCode.NoResponders) return 'no_responders';
    if (error.code === NatsErrorCode.Timeout) return 'timeout';
  }
  return 'disconnected';
}

function remoteError(err: unknown): TesseraError {
  const body = ErrorBodySchema.safeParse(err);
  if (body.success) return new TesseraError(body.data.code, body.data.message, body.data.details);
  // A reply that is not ours (e.g. Nest's "no matching handler") means the deployment is out of step.
  return new TesseraError('internal', 'An internal error occurred.');
}
