import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { NatsContext } from '@nestjs/microservices';
import { CALLER_TOKEN_HEADER, TesseraError, isOpenSubject } from '@tessera/contracts';
import { CommandTokenVerifier } from './command-token';
import { Logger } from './logger';

/**
 * The one check of who is calling, before every NATS handler of a service and before its pipes and interceptors:
 * a subject outside the open list runs only with a valid command token for this exact call. A refusal is
 * `unauthorized_caller`, logged with the subject and the reason (never the token), with nothing read or written.
 */
@Injectable()
export class CommandTokenGuard implements CanActivate {
  constructor(
    private readonly verifier: CommandTokenVerifier,
    private readonly logger: Logger,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'rpc') return true;
    const rpc = context.switchToRpc();
    const subject = rpc.getContext<NatsContext>().getSubject();
    if (isOpenSubject(subject)) return true;
    const token = rpc.getContext<NatsContext>().getHeaders()?.get(CALLER_TOKEN_HEADER);
    const failure = this.verifier.verify(token || undefined, subject, rpc.getData());
    if (failure === undefined) return true;
    this.logger.warn({ subject, reason: failure }, 'refused a call without a valid command token');
    throw new TesseraError('unauthorized_caller', 'The caller could not be verified.');
  }
}
