import { Injectable } from '@nestjs/common';
import { AccountKind, PrincipalView, TesseraError } from '@tessera/contracts';
import { AccessTokenVerifier } from '../auth/access-token-verifier';
import { MembershipDirectory } from '../directory/membership-directory';
import { KeyVerifier, invalidCredentials } from './key-verifier';

/**
 * Every credential failure takes at least this long, whatever went wrong (malformed, unknown, revoked, expired,
 * archived team): the time of a refusal tells nothing about why.
 */
export const FAILURE_FLOOR_MS = 25;

export interface ResolvedPrincipal extends PrincipalView {
  /** For a Bearer principal: the login session the token belongs to. */
  sessionId?: string;
}

/**
 * Who a credential is, in which account: `Authorization: Key …` is the key's account, acting as the key;
 * `Authorization: Bearer …` is the signed-in member, in the account asked for, else the one chosen at device
 * login, else their personal account. The decision point and the HTTP guards both resolve principals here.
 *
 * Throws `invalid_credentials`, `not_a_member` (a key used for another account, or a member of no such account)
 * or `account_archived` (a member of a team that was archived; a key of an archived team is simply invalid).
 */
@Injectable()
export class Principals {
  constructor(
    private readonly keys: KeyVerifier,
    private readonly tokens: AccessTokenVerifier,
    private readonly directory: MembershipDirectory,
  ) {}

  async resolve(authorization: string, accountId?: string): Promise<ResolvedPrincipal> {
    const started = Date.now();
    try {
      const [scheme, credential, extra] = authorization.split(' ');
      if (!credential || extra !== undefined) throw invalidCredentials();
      switch (scheme.toLowerCase()) {
        case 'key':
          return await this.ofKey(credential, accountId);
        case 'bearer':
          return await this.ofBearer(credential, accountId);
        default:
          throw invalidCredentials();
      }
    } catch (error) {
      if (error instanceof TesseraError && error.code === 'invalid_token') throw await floored(started);
      if (error instanceof TesseraError && error.code === 'invalid_credentials') throw await floored(started);
      throw error;
    }
  }

  private async ofKey(secret: string, accountId: string | undefined): Promise<ResolvedPrincipal> {
    const key = await this.keys.verify(secret);
    if (accountId !== undefined && accountId !== key.accountId)
      throw new TesseraError('not_a_member', 'This key belongs to another account.');
    const account = await this.directory.account(key.accountId);
    if (!account || account.archived) throw invalidCredentials();
    return {
      account: accountOf(account),
      actor: { type: 'key', keyId: key.keyId, scope: key.scope },
      via: 'key',
    };
  }

  private async ofBearer(token: string, accountId: string | undefined): Promise<ResolvedPrincipal> {
    const claims = await this.tokens.verify(token);
    const wanted = accountId ?? claims.acc;
    const membership = wanted
      ? await this.directory.membership(claims.sub, wanted)
      : await this.directory.personalAccount(claims.sub);
    return {
      account: accountOf(membership),
      actor: { type: 'member', userId: claims.sub, role: membership.role },
      via: 'bearer',
      sessionId: claims.sid,
    };
  }
}

async function floored(started: number): Promise<TesseraError> {
  const wait = started + FAILURE_FLOOR_MS - Date.now();
  if (wait > 0) await new Promise((done) => setTimeout(done, wait));
  return invalidCredentials();
}

function accountOf(account: {
  id: string;
  kind: AccountKind;
  organizationId?: string;
}): PrincipalView['account'] {
  return {
    id: account.id,
    kind: account.kind,
    ...(account.organizationId ? { organizationId: account.organizationId } : {}),
  };
}
