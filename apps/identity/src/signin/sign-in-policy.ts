import { Injectable } from '@nestjs/common';
import { PolicySettings, RpcClient, SignInMethod, TesseraError } from '@tessera/contracts';
import { EntityManager } from 'typeorm';
import { DomainsService } from '../domains/domains.service';
import { SsoConnectionsService } from '../sso/sso-connections.service';

/** One sign-in (or link) about to happen, as the organizations' sign-in rules see it. */
export interface SignInCheck {
  method: SignInMethod;
  /** The e-mail the provider vouched for now. */
  email: string;
  /** The Tessera user it signs in as (or links to), once known. */
  userId?: string;
  /** For SAML: the organization whose connection the person came through. */
  viaOrganizationId?: string;
}

interface Governing {
  settings: PolicySettings;
  /** The organization verified the domain of one of the person's e-mails: it owns the address. */
  ownsAnEmail: boolean;
}

/**
 * The sign-in parts of org policies, checked on every path that lets someone in — GitHub or Google sign-in,
 * linking a provider (`?link=1`), SAML — before it changes anything:
 * - `sso.enforced`: a person with an e-mail in a domain the organization verified (the provider's e-mail, the
 *   Tessera user's, or any linked identity's) must come through that organization's own SSO;
 * - `signin.allowedMethods`: from those organizations, every organization the user belongs to, and for SAML the
 *   organization of the connection (which is about to place them in its teams).
 * A person can change the e-mail a provider reports, but not the addresses already on their account.
 */
@Injectable()
export class SignInPolicy {
  constructor(
    private readonly domains: DomainsService,
    private readonly connections: SsoConnectionsService,
    private readonly rpc: RpcClient,
  ) {}

  /**
   * Throws `sso_required` (its `details` give the organization's SSO `loginUrl`) or `signin_method_not_allowed`.
   * Run it in the transaction that creates or links the user, so a refusal leaves nothing behind.
   */
  async assertAllowed(manager: EntityManager, check: SignInCheck): Promise<void> {
    const governing = await this.governing(manager, check);
    let refusal: TesseraError | undefined;
    for (const [organizationId, { settings, ownsAnEmail }] of governing) {
      const throughOwnSso = check.method === 'saml' && check.viaOrganizationId === organizationId;
      const enforced = ownsAnEmail && settings['sso.enforced'] === true && !throughOwnSso;
      const methods = settings['signin.allowedMethods'];
      if (!enforced && (!methods || methods.includes(check.method))) continue;
      const sso = enforced || methods?.includes('saml') ? await this.ssoOf(organizationId, check) : null;
      if (sso) {
        const message = 'Your organization requires its single sign-on.';
        throw new TesseraError('sso_required', message, [{ message, loginUrl: sso }]);
      }
      refusal ??= new TesseraError(
        'signin_method_not_allowed',
        `Your organization does not allow signing in with ${check.method}. Use another sign-in method.`,
      );
    }
    if (refusal) throw refusal;
  }

  /** Every organization whose rules bear on this sign-in, with its settings. */
  private async governing(manager: EntityManager, check: SignInCheck): Promise<Map<string, Governing>> {
    const emails = await this.emailsOf(manager, check);
    const owners = await Promise.all(emails.map((email) => this.domains.organizationForEmail(email)));
    const governing = new Map<string, Governing>();
    const members = check.userId
      ? await this.rpc.request('tessera.teams.policy.organizations-for-user', { userId: check.userId })
      : [];
    for (const { organizationId, settings } of members)
      governing.set(organizationId, { settings, ownsAnEmail: false });
    const others = new Set(owners.map((owner) => owner.organizationId).filter((id) => id !== null));
    if (check.viaOrganizationId) others.add(check.viaOrganizationId);
    for (const organizationId of others) {
      const settings = governing.get(organizationId)?.settings ?? (await this.policyOf(organizationId));
      const ownsAnEmail = owners.some((owner) => owner.organizationId === organizationId);
      governing.set(organizationId, { settings, ownsAnEmail });
    }
    return governing;
  }

  /** The provider's e-mail, the user's, and every linked identity's, without repeats. */
  private async emailsOf(manager: EntityManager, { email, userId }: SignInCheck): Promise<string[]> {
    const known = userId
      ? ((await manager.query(
          `SELECT email FROM identity.users WHERE id = $1
           UNION SELECT email FROM identity.linked_identities WHERE user_id = $1 AND email IS NOT NULL`,
          [userId],
        )) as { email: string }[])
      : [];
    return [...new Set([email, ...known.map((row) => row.email)].map((e) => e.toLowerCase()))];
  }

  private async policyOf(organizationId: string): Promise<PolicySettings> {
    return (await this.rpc.request('tessera.teams.policy.get', { accountId: organizationId })).effective;
  }

  /** The organization's SSO login URL, unless this sign-in already comes through it. */
  private async ssoOf(organizationId: string, check: SignInCheck): Promise<string | null> {
    if (check.method === 'saml' && check.viaOrganizationId === organizationId) return null;
    const connection = await this.connections.forOrganization(organizationId);
    return connection ? this.connections.serviceProvider(connection.id).loginUrl : null;
  }
}
