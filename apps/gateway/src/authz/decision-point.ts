import { Injectable } from '@nestjs/common';
import { Action, ROLE_MATRIX, RESOURCE_ACTIONS, can } from '@tessera/authz';
import { AuthzCheckReply, DenialReason, TesseraError, isUuid } from '@tessera/contracts';
import { PolicyDirectory } from '../directory/policy-directory';
import { FailureLimiter } from './failure-limiter';
import { Principals } from './principals';
import { UsageRecorder } from './usage-recorder';

const ACTIONS = new Set<string>([...RESOURCE_ACTIONS, ...ROLE_MATRIX].map((row) => row.action));
const MAX_AUTHORIZATION_LENGTH = 4096;
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
    const request = validated(input);
    if ('allow' in request) return request;
    const { authorization, action, account, record } = request;
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
      if (record) {
        const actorId = actor.type === 'key' ? actor.keyId : actor.userId;
        this.usage.count(principal.account.id, actor.type, actorId, action);
      }
      const retentionDays = (await this.policies.effective(principal.account.id))['data.retentionDays'];
      return { allow: true, principal: view, ...(retentionDays ? { retentionDays } : {}) };
    } catch (error) {
      if (!(error instanceof TesseraError) || !DENIALS.has(error.code)) throw error;
      if (error.code === 'invalid_credentials') await this.limiter.failed(address);
      return deny(error.code as DenialReason, error.message);
    }
  }
}

type ValidRequest = {
  authorization: string;
  action: Action;
  account?: string;
  record: boolean;
  clientAddress?: string;
};

function validated(input: unknown): ValidRequest | AuthzCheckReply {
  const body = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const { authorization, action, account, record, clientAddress } = body;
  if (typeof authorization !== 'string' || authorization.length > MAX_AUTHORIZATION_LENGTH)
    return deny('validation_failed', '`authorization` must be the Authorization header, as a string.');
  if (typeof action !== 'string')
    return deny('validation_failed', '`action` must be a string such as `models.call`.');
  if (!ACTIONS.has(action)) return deny('unknown_action', `There is no action \`${action.slice(0, 64)}\`.`);
  if (account !== undefined && !isUuid(account))
    return deny('validation_failed', '`account` must be an account id (a UUID).');
  if (record !== undefined && typeof record !== 'boolean')
    return deny('validation_failed', '`record` must be true or false.');
  if (clientAddress !== undefined && (typeof clientAddress !== 'string' || clientAddress.length > 64))
    return deny('validation_failed', '`clientAddress` must be an address of at most 64 characters.');
  return {
    authorization,
    action: action as Action,
    account,
    record: record === true,
    clientAddress: clientAddress,
  };
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
