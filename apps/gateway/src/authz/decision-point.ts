import { Injectable } from '@nestjs/common';
import { Action, ROLE_MATRIX, RESOURCE_ACTIONS, can, keyActionForbidden } from '@tessera/authz';
import {
  AuthzCheckReply,
  AuthzCheckRequest,
  AuthzCheckRequestSchema,
  DenialReason,
  TesseraError,
  ValidationFailedError,
  parseOrThrow,
} from '@tessera/contracts';
import { authzDecisionSeconds, authzDecisions } from '@tessera/telemetry';
import { PolicyDirectory } from '../directory/policy-directory';
import { FailureLimiter } from './failure-limiter';
import { Principals } from './principals';
import { UsageRecorder } from './usage-recorder';

const ACTIONS = new Set<string>([...RESOURCE_ACTIONS, ...ROLE_MATRIX].map((row) => row.action));
const DENIALS = new Set<string>(['invalid_credentials', 'not_a_member', 'account_archived', 'rate_limited']);

/**
 * Who asks, which decides whose address failures count against. A service on the bus relays its own client's
 * address as `clientAddress` (the NATS permissions decide who may publish to the subject). Over HTTP anyone can
 * call, so a `clientAddress` in the body is ignored and failures count against the connection's own address:
 * otherwise a caller could lock any address out, or dodge the limit by naming a new one each time. Relayed
 * addresses are counted apart from the addresses of the gateway's own HTTP clients (`bus:` prefix), so a caller on
 * the bus cannot lock an address out of the HTTP API either.
 */
export type DecisionCaller = { via: 'bus' } | { via: 'http'; address: string | undefined };

/**
 * The policy decision point: may this credential do this action in this account? Answers a decision, never
 * throws for a refusal: `{ allow, reason?, message?, principal? }`. Unexpected failures (a service down)
 * propagate, so the caller's transport reports them as errors rather than as a denial.
 */
@Injectable()
export class DecisionPoint {
  constructor(
    private readonly principals: Principals,
    private readonly limiter: FailureLimiter,
    private readonly usage: UsageRecorder,
    private readonly policies: PolicyDirectory,
  ) {}

  async check(input: unknown, caller: DecisionCaller): Promise<AuthzCheckReply> {
    const stop = authzDecisionSeconds.start();
    const { via } = caller;
    try {
      const reply = await this.decide(input, caller);
      const outcome = reply.allow ? 'allow' : 'deny';
      stop({ outcome, via });
      authzDecisions.inc({ outcome, reason: reply.reason ?? 'allowed', via });
      return reply;
    } catch (error) {
      stop({ outcome: 'error', via });
      authzDecisions.inc({
        outcome: 'error',
        reason: error instanceof TesseraError ? error.code : 'internal',
        via,
      });
      throw error;
    }
  }

  private async decide(input: unknown, caller: DecisionCaller): Promise<AuthzCheckReply> {
    const request = validated(input);
    if ('allow' in request) return request;
    const { authorization, account, record } = request;
    const action = request.action as Action;
    const address = caller.via === 'bus' ? relayed(request.clientAddress) : caller.address;
    try {
      this.limiter.check(address);
      const principal = await this.principals.resolve(authorization, account);
      const { sessionId: _, ...view } = principal;
      const { actor } = principal;
      if (actor.type === 'key') this.usage.keyUsed(actor.keyId);
      const grants = actor.type === 'key' ? { keyScope: actor.scope } : { role: actor.role };
      if (!can(grants, action)) {
        return actor.type === 'key'
          ? deny('scope_insufficient', `An ${actor.scope} key cannot do ${action}.`, view)
          : deny('forbidden', `Your role (${actor.role}) does not allow ${action}.`, view);
      }
      const policy = await this.policies.effective(principal.account.id);
      const forbidden = actor.type === 'key' ? keyActionForbidden(policy, actor.scope, action) : undefined;
      if (forbidden) return deny('scope_insufficient', forbidden, view);
      if (record) {
        const actorId = actor.type === 'key' ? actor.keyId : actor.userId;
        this.usage.count(principal.account.id, actor.type, actorId, action);
      }
      const retentionDays = policy['data.retentionDays'];
      return { allow: true, principal: view, ...(retentionDays ? { retentionDays } : {}) };
    } catch (error) {
      if (!(error instanceof TesseraError) || !DENIALS.has(error.code)) throw error;
      if (error.code === 'invalid_credentials') await this.limiter.failed(address);
      return deny(error.code as DenialReason, error.message);
    }
  }
}

/**
 * The request as the schema reads it, or the answer to a request that cannot be checked: a decision
 * (`validation_failed` with the fields' `details`, `unknown_action`), never an error, on both transports.
 */
function validated(input: unknown): AuthzCheckRequest | AuthzCheckReply {
  let request: AuthzCheckRequest;
  try {
    request = parseOrThrow(AuthzCheckRequestSchema, input);
  } catch (error) {
    if (!(error instanceof ValidationFailedError)) throw error;
    return { ...deny('validation_failed', error.message), details: [...(error.details ?? [])] };
  }
  if (!ACTIONS.has(request.action))
    return deny('unknown_action', `There is no action \`${request.action.slice(0, 64)}\`.`);
  return request;
}

function deny(
  reason: DenialReason,
  message: string,
  principal?: AuthzCheckReply['principal'],
): AuthzCheckReply {
  return { allow: false, reason, message, ...(principal ? { principal } : {}) };
}

function relayed(clientAddress: string | undefined): string | undefined {
  return clientAddress && `bus:${clientAddress}`;
}
