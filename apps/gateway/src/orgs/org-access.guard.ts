import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { OrgAction, can } from '@tessera/authz';
import { AccountView, TesseraError, Uuid } from '@tessera/contracts';
import { z } from 'zod';
import { AuthenticatedRequest } from '../auth/principal';
import { MembershipDirectory } from '../directory/membership-directory';

const ORG_ACTION = Symbol('ORG_ACTION');

/** The permission a `/v1/orgs/:orgId/…` route needs (see `ORG_ACTIONS` in `@tessera/authz`). */
export const OrgPermission = (action: OrgAction) => SetMetadata(ORG_ACTION, action);

/** A `/v1/orgs/:orgId/…` route for anyone with a role in the organization, whatever it allows. */
export const OrgMembership = () => SetMetadata(ORG_ACTION, null);

export type OrgRequest = AuthenticatedRequest & { organization: AccountView };

/** The path parameters of every `/v1/orgs/:orgId/…` route; routes below it extend it with their own. */
export const OrgPath = z.strictObject({ orgId: Uuid });

/**
 * For every route with a permission (or `OrgMembership`): the caller must have a role in the `:orgId` organization
 * — today, be one of its Org Admins — and that role must allow the route's action. Anyone else
 * — members of its teams included — gets 404 `not_found`, exactly as for an organization that does not exist,
 * so organization ids leak nothing.
 */
@Injectable()
export class OrgAccessGuard implements CanActivate {
  constructor(
    private readonly directory: MembershipDirectory,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const action = this.reflector.get<OrgAction | null | undefined>(ORG_ACTION, context.getHandler());
    if (action === undefined) return true;
    const request = context.switchToHttp().getRequest<OrgRequest>();
    const account = await this.directory.memberOf(
      request.principal.userId,
      String(request.params.orgId),
      'organization',
      'The organization was not found.',
    );
    if (action !== null && !can({ role: account.role }, action))
      throw new TesseraError('forbidden', 'Only Org Admins may do this.');
    request.organization = account;
    return true;
  }
}
