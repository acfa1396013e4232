import { Injectable } from '@nestjs/common';
import { PolicySettings, RpcClient, SignInMethod, TesseraError } from '@tessera/contracts';
import { DomainsService } from '../domains/domains.service';
import { SsoConnectionsService } from '../sso/sso-connections.service';

/**
 * The sign-in parts of org policies, checked before a GitHub or Google sign-in opens a session:
 * `sso.enforced` — an e-mail in a domain the organization verified must use the organization's SSO — and
 * `signin.allowedMethods`, from that organization and from every organization the user already belongs to.
 */
@Injectable()
export class SignInPolicy {
  constructor(
    private readonly domains: DomainsService,
    private readonly connections: SsoConnectionsService,
    private readonly rpc: RpcClient,
  ) {}

  async assertAllowed(method: SignInMethod, email: string, userId: string | undefined): Promise<void> {
    const { organizationId } = await this.domains.organizationForEmail(email);
    const none: PolicySettings = {};
    const [domainPolicy, userPolicy] = await Promise.all([
      organizationId ? this.organizationPolicy(organizationId) : none,
      userId ? this.rpc.request('tessera.teams.policy.for-user', { userId }) : none,
    ]);
    const enforced = domainPolicy['sso.enforced'] === true;
    const allowed = [domainPolicy, userPolicy].every(
      (policy) => !policy['signin.allowedMethods'] || policy['signin.allowedMethods'].includes(method),
    );
    if (!enforced && allowed) return;
    const connection = organizationId ? await this.connections.forOrganization(organizationId) : null;
    if (connection)
      // The gateway reads the connection from this URL to link the sign-in page to it: keep it last.
      throw new TesseraError(
        'sso_required',
        `Your organization requires its single sign-on: continue at ${this.connections.serviceProvider(connection.id).loginUrl}`,
      );
    throw new TesseraError(
      'signin_method_not_allowed',
      `Your organization does not allow signing in with ${method}. Use another sign-in method.`,
    );
  }

  private async organizationPolicy(organizationId: string): Promise<PolicySettings> {
    return (await this.rpc.request('tessera.teams.policy.get', { accountId: organizationId })).effective;
  }
}
