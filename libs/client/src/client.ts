import type {
  AccountView,
  AuthzCheckReply,
  BulkInviteReply,
  InvitationView,
  IssuedKey,
  KeyScope,
  KeyView,
  MemberView,
  PrincipalView,
  Role,
  UserView,
} from '@tessera/contracts';
import { Credential } from './credentials';
import { TesseraApiError } from './errors';
import { HttpRequest, send } from './http';

export interface TesseraClientOptions {
  host: string;
  credential: Credential;
  /** Sent as `X-Tessera-Account`: the account requests act for (absent: the credential's own). */
  account?: string;
}

const path = (template: TemplateStringsArray, ...ids: string[]) =>
  template.reduce((joined, part, index) => joined + encodeURIComponent(ids[index - 1]) + part);

/** The public API, typed by the contracts the services share. Every refusal is a `TesseraApiError`. */
export class TesseraClient {
  constructor(readonly options: TesseraClientOptions) {}

  /** Sends one request with the credential; a rejected access token is renewed once and the request retried. */
  async request<T>(request: HttpRequest): Promise<T> {
    const { credential, account, host } = this.options;
    const attempt = async () =>
      send<T>(host, {
        ...request,
        headers: {
          authorization: await credential.authorization(),
          ...(account ? { 'x-tessera-account': account } : {}),
          ...request.headers,
        },
      });
    try {
      return await attempt();
    } catch (error) {
      if (error instanceof TesseraApiError && error.code === 'invalid_token' && (await credential.renew()))
        return attempt();
      throw error;
    }
  }

  principal(): Promise<PrincipalView> {
    return this.request({ method: 'GET', path: '/v1/principal' });
  }

  me(): Promise<UserView> {
    return this.request({ method: 'GET', path: '/v1/me' });
  }

  /** Accounts the signed-in person can act as: personal first, then teams. */
  accounts(): Promise<AccountView[]> {
    return this.request({ method: 'GET', path: '/v1/me/accounts' });
  }

  createTeam(name: string): Promise<AccountView> {
    return this.request({ method: 'POST', path: '/v1/teams', body: { name } });
  }

  members(teamId: string): Promise<MemberView[]> {
    return this.request({ method: 'GET', path: path`/v1/teams/${teamId}/members` });
  }

  setRole(teamId: string, userId: string, role: Role): Promise<MemberView> {
    return this.request({
      method: 'PATCH',
      path: path`/v1/teams/${teamId}/members/${userId}`,
      body: { role },
    });
  }

  async removeMember(teamId: string, userId: string): Promise<void> {
    await this.request({ method: 'DELETE', path: path`/v1/teams/${teamId}/members/${userId}` });
  }

  invite(teamId: string, email: string, role: Role): Promise<InvitationView> {
    return this.request({
      method: 'POST',
      path: path`/v1/teams/${teamId}/invitations`,
      body: { email, role },
    });
  }

  /** Invites from a CSV with the header `email,role` (at most 50 rows); one result per row. */
  inviteCsv(teamId: string, csv: string, options: { dryRun?: boolean } = {}): Promise<BulkInviteReply> {
    return this.request({
      method: 'POST',
      path: path`/v1/teams/${teamId}/invitations/bulk`,
      query: { dryRun: options.dryRun ? 'true' : undefined },
      body: csv,
    });
  }

  invitations(teamId: string): Promise<InvitationView[]> {
    return this.request({ method: 'GET', path: path`/v1/teams/${teamId}/invitations` });
  }

  cancelInvitation(teamId: string, invitationId: string): Promise<InvitationView> {
    return this.request({ method: 'DELETE', path: path`/v1/teams/${teamId}/invitations/${invitationId}` });
  }

  resendInvitation(teamId: string, invitationId: string): Promise<InvitationView> {
    return this.request({
      method: 'POST',
      path: path`/v1/teams/${teamId}/invitations/${invitationId}/resend`,
    });
  }

  /** Creates an API key; the reply is the only time its secret is shown. */
  createKey(
    accountId: string,
    key: { name: string; scope: KeyScope; expiresAt?: string },
  ): Promise<IssuedKey> {
    return this.request({
      method: 'POST',
      path: path`/v1/accounts/${accountId}/keys`,
      body: { name: key.name, scope: key.scope, expires_at: key.expiresAt },
    });
  }

  keys(accountId: string): Promise<KeyView[]> {
    return this.request({ method: 'GET', path: path`/v1/accounts/${accountId}/keys` });
  }

  async revokeKey(accountId: string, keyId: string): Promise<void> {
    await this.request({ method: 'DELETE', path: path`/v1/accounts/${accountId}/keys/${keyId}` });
  }

  rotateKey(accountId: string, keyId: string, graceSeconds: number): Promise<IssuedKey> {
    return this.request({
      method: 'POST',
      path: path`/v1/accounts/${accountId}/keys/${keyId}/rotate`,
      body: { grace_seconds: graceSeconds },
    });
  }

  /** Asks the decision point whether this client's own credential may do `action` (always a decision, never 403). */
  async check(
    action: string,
    options: { account?: string; record?: boolean } = {},
  ): Promise<AuthzCheckReply> {
    return send(this.options.host, {
      method: 'POST',
      path: '/v1/authz/check',
      body: {
        authorization: await this.options.credential.authorization(),
        action,
        account: options.account ?? this.options.account,
        record: options.record,
      },
    });
  }
}
