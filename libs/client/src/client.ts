import createClient, { Client, Middleware } from 'openapi-fetch';
import type { components, operations, paths } from './api';
import { Credential } from './credentials';
import { TesseraApiError } from './errors';
import { exchange, refusal } from './http';

/** The API's named payloads (`KeyView`, `CreateKeyBody`, …), as the API description declares them. */
export type ApiSchemas = components['schemas'];

/** The range and grouping of a usage report: `from`, `to` (ISO dates or instants), `groupBy`, `interval`. */
export type UsageQuery = NonNullable<operations['usage']['parameters']['query']>;

/** The API, typed by its description: every path, its parameters, its body and its answer. */
export type TesseraApi = Client<paths>;

export interface TesseraClientOptions {
  host: string;
  credential: Credential;
  /** Sent as `X-Tessera-Account`: the account requests act for (absent: the credential's own). */
  account?: string;
}

/**
 * The public API, typed by its OpenAPI description (libs/client/src/api.d.ts, generated). Every refusal is a
 * `TesseraApiError`; a rejected access token is renewed once and the request retried.
 */
export class TesseraClient {
  /** Every route, for calls the methods below do not cover: `client.api.GET('/v1/teams/{id}', …)`. */
  readonly api: TesseraApi;
  /** The same without the credential: the decision point reads the credential to judge from the body. */
  private readonly anonymous: TesseraApi;

  constructor(readonly options: TesseraClientOptions) {
    this.api = typedApi(options.host);
    this.api.use(credentialMiddleware(options.credential, options.account));
    this.anonymous = typedApi(options.host);
  }

  principal() {
    return answer(this.api.GET('/v1/principal'));
  }

  /** The account requests act for: the one this client sends, else the credential's own (a key's, the login's). */
  async accountId(): Promise<string> {
    return this.options.account ?? (await this.principal()).account.id;
  }

  me() {
    return answer(this.api.GET('/v1/me'));
  }

  /** Accounts the signed-in person can act as: personal first, then teams. */
  accounts() {
    return answer(this.api.GET('/v1/me/accounts'));
  }

  createTeam(name: string) {
    return answer(this.api.POST('/v1/teams', { body: { name } }));
  }

  /** Archives a team for good (Admin): it leaves every list; its data is kept. */
  archiveTeam(teamId: string) {
    return answer(this.api.POST('/v1/teams/{id}/archive', { params: { path: { id: teamId } } }));
  }

  members(teamId: string) {
    return answer(this.api.GET('/v1/teams/{id}/members', { params: { path: { id: teamId } } }));
  }

  setRole(teamId: string, userId: string, role: ApiSchemas['SetRoleBody']['role']) {
    return answer(
      this.api.PATCH('/v1/teams/{id}/members/{userId}', {
        params: { path: { id: teamId, userId } },
        body: { role },
      }),
    );
  }

  async removeMember(teamId: string, userId: string): Promise<void> {
    await this.api.DELETE('/v1/teams/{id}/members/{userId}', { params: { path: { id: teamId, userId } } });
  }

  invite(teamId: string, invitation: ApiSchemas['InviteBody']) {
    return answer(
      this.api.POST('/v1/teams/{id}/invitations', { params: { path: { id: teamId } }, body: invitation }),
    );
  }

  /** Invites from a CSV with the header `email,role` (at most 50 rows); one result per row. */
  inviteCsv(teamId: string, csv: string, options: { dryRun?: boolean } = {}) {
    return answer(
      this.api.POST('/v1/teams/{id}/invitations/bulk', {
        params: { path: { id: teamId }, query: options.dryRun ? { dryRun: 'true' } : {} },
        body: csv,
        bodySerializer: (body) => body as string,
        headers: { 'content-type': 'text/csv' },
      }),
    );
  }

  invitations(teamId: string) {
    return answer(this.api.GET('/v1/teams/{id}/invitations', { params: { path: { id: teamId } } }));
  }

  cancelInvitation(teamId: string, invitationId: string) {
    return answer(
      this.api.DELETE('/v1/teams/{id}/invitations/{invitationId}', {
        params: { path: { id: teamId, invitationId } },
      }),
    );
  }

  resendInvitation(teamId: string, invitationId: string) {
    return answer(
      this.api.POST('/v1/teams/{id}/invitations/{invitationId}/resend', {
        params: { path: { id: teamId, invitationId } },
      }),
    );
  }

  /** The organization's teams, with member and pending-invitation counts (Org Admins). */
  orgTeams(orgId: string) {
    return answer(this.api.GET('/v1/orgs/{orgId}/teams', { params: { path: { orgId } } }));
  }

  /** Every member of every team of the organization, each with the team (Org Admins). */
  orgMembers(orgId: string) {
    return answer(this.api.GET('/v1/orgs/{orgId}/members', { params: { path: { orgId } } }));
  }

  orgAdmins(orgId: string) {
    return answer(this.api.GET('/v1/orgs/{orgId}/admins', { params: { path: { orgId } } }));
  }

  orgPolicy(orgId: string) {
    return answer(this.api.GET('/v1/orgs/{orgId}/policies', { params: { path: { orgId } } }));
  }

  /** Replaces the whole organization policy; with `version`, refused (`version_conflict`) if it moved on. */
  setOrgPolicy(orgId: string, policy: ApiSchemas['PutPolicyBody']) {
    return answer(this.api.PUT('/v1/orgs/{orgId}/policies', { params: { path: { orgId } }, body: policy }));
  }

  domains(orgId: string) {
    return answer(this.api.GET('/v1/orgs/{orgId}/domains', { params: { path: { orgId } } }));
  }

  /** Claims a domain; the answer names the TXT record to publish before verifying it. */
  claimDomain(orgId: string, domain: string) {
    return answer(
      this.api.POST('/v1/orgs/{orgId}/domains', { params: { path: { orgId } }, body: { domain } }),
    );
  }

  /** Looks the claim's TXT record up in DNS now. */
  verifyDomain(orgId: string, domainId: string) {
    return answer(
      this.api.POST('/v1/orgs/{orgId}/domains/{domainId}/verify', { params: { path: { orgId, domainId } } }),
    );
  }

  ssoConnections(orgId: string) {
    return answer(this.api.GET('/v1/orgs/{orgId}/sso/connections', { params: { path: { orgId } } }));
  }

  /** Starts a "test connection" round trip: the IdP URL to open, which signs no one in. */
  startSsoTest(orgId: string, connectionId: string) {
    return answer(
      this.api.POST('/v1/orgs/{orgId}/sso/connections/{connectionId}/test', {
        params: { path: { orgId, connectionId } },
      }),
    );
  }

  /** The last test round trip that came back from the IdP (`lastTest: null` before any). */
  lastSsoTest(orgId: string, connectionId: string) {
    return answer(
      this.api.GET('/v1/orgs/{orgId}/sso/connections/{connectionId}/test', {
        params: { path: { orgId, connectionId } },
      }),
    );
  }

  /** Creates an API key; the reply is the only time its secret is shown. */
  createKey(accountId: string, key: ApiSchemas['CreateKeyBody']) {
    return answer(
      this.api.POST('/v1/accounts/{accountId}/keys', { params: { path: { accountId } }, body: key }),
    );
  }

  keys(accountId: string) {
    return answer(this.api.GET('/v1/accounts/{accountId}/keys', { params: { path: { accountId } } }));
  }

  async revokeKey(accountId: string, keyId: string): Promise<void> {
    await this.api.DELETE('/v1/accounts/{accountId}/keys/{keyId}', {
      params: { path: { accountId, keyId } },
    });
  }

  rotateKey(accountId: string, keyId: string, graceSeconds: number) {
    return answer(
      this.api.POST('/v1/accounts/{accountId}/keys/{keyId}/rotate', {
        params: { path: { accountId, keyId } },
        body: { graceSeconds },
      }),
    );
  }

  /** The account's requests in `[from, to)` (default: the last 30 days), by actor or by action. */
  usage(accountId: string, query: UsageQuery = {}) {
    return answer(this.api.GET('/v1/accounts/{accountId}/usage', { params: { path: { accountId }, query } }));
  }

  /** Sets a team secret (Admin): creates it or replaces its value. The value is never answered back. */
  setSecret(accountId: string, name: string, value: string) {
    return answer(
      this.api.PUT('/v1/accounts/{accountId}/secrets/{name}', {
        params: { path: { accountId, name } },
        body: { value },
      }),
    );
  }

  /** The account's secrets by name and who set them: never values. */
  secrets(accountId: string) {
    return answer(this.api.GET('/v1/accounts/{accountId}/secrets', { params: { path: { accountId } } }));
  }

  async deleteSecret(accountId: string, name: string): Promise<void> {
    await this.api.DELETE('/v1/accounts/{accountId}/secrets/{name}', {
      params: { path: { accountId, name } },
    });
  }

  /** Asks the decision point whether this client's own credential may do `action` (always a decision, never 403). */
  async check(action: string, options: { account?: string; record?: boolean } = {}) {
    return answer(
      this.anonymous.POST('/v1/authz/check', {
        body: {
          authorization: await this.options.credential.authorization(),
          action,
          account: options.account ?? this.options.account,
          record: options.record,
        },
      }),
    );
  }
}

/** A client of the API at `host` whose refusals reject the call (as `TesseraApiError`), so answers are data. */
function typedApi(host: string): TesseraApi {
  const api = createClient<paths>({
    baseUrl: host,
    headers: { accept: 'application/json' },
    redirect: 'manual',
    fetch: (request) => exchange(host, request),
  });
  api.use({
    async onResponse({ response }) {
      if (!response.ok) throw await refusal(host, response);
      return undefined;
    },
  });
  return api;
}

/** The answer of a call whose refusals have thrown already. */
async function answer<T>(call: Promise<{ data?: T }>): Promise<T> {
  return (await call).data as T;
}

/**
 * Sends the credential (and the account acted for) with every request; after a 401 refusing it, renews the
 * credential once (a saved login can, a key cannot) and sends a copy of the request again, made before the first
 * one consumed its body.
 */
function credentialMiddleware(credential: Credential, account: string | undefined): Middleware {
  const copies = new Map<string, Request>();
  const authorize = async (request: Request) => {
    request.headers.set('authorization', await credential.authorization());
    if (account) request.headers.set('x-tessera-account', account);
    return request;
  };
  return {
    async onRequest({ request, id }) {
      const authorized = await authorize(request);
      copies.set(id, authorized.clone());
      return authorized;
    },
    async onResponse({ response, id, options }) {
      const copy = copies.get(id);
      copies.delete(id);
      if (!copy || !(await rejectsToken(response)) || !(await credential.renew())) return undefined;
      return options.fetch(await authorize(copy));
    },
    onError({ id }) {
      copies.delete(id);
    },
  };
}

/** Routes that take a key or a login refuse a stale token as `invalid_credentials`, the others as `invalid_token`. */
const REFUSED_CREDENTIAL = new Set(['invalid_token', 'invalid_credentials']);

async function rejectsToken(response: Response): Promise<boolean> {
  if (response.status !== 401) return false;
  const refused = await refusal('', response.clone());
  return refused instanceof TesseraApiError && REFUSED_CREDENTIAL.has(refused.code);
}
