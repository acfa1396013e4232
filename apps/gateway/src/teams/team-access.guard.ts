import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { TeamAction, can } from '@tessera/authz';
import { AccountView, TesseraError } from '@tessera/contracts';
import { MembershipDirectory } from '../directory/membership-directory';
import { AuthenticatedRequest } from '../auth/principal';

const TEAM_ACTION = Symbol('TEAM_ACTION');

/** The permission a `/v1/teams/:id/…` route needs, from the role matrix in `@tessera/authz`. */
export const TeamPermission = (action: TeamAction) => SetMetadata(TEAM_ACTION, action);

export type TeamRequest = AuthenticatedRequest & { team: AccountView };

/**
 * For every route with a team `:id`: the caller must be a member — anyone else gets 404 `not_found`, exactly as
 * for a team that does not exist, so team ids leak nothing — and their role must allow the route's action (403
 * `forbidden`). Memberships come from the gateway's directory, which forgets a removed member at once.
 */
@Injectable()
export class TeamAccessGuard implements CanActivate {
  constructor(
    private readonly directory: MembershipDirectory,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<TeamRequest>();
    const teamId = request.params.id;
    if (typeof teamId !== 'string') return true;
    request.team = await this.directory.memberOf(
      request.principal.userId,
      teamId,
      'team',
      'The team was not found.',
    );
    const action = this.reflector.get<TeamAction | undefined>(TEAM_ACTION, context.getHandler());
    if (action && !can({ role: request.team.role }, action)) {
      throw new TesseraError(
        'forbidden',
        `Your role (${request.team.role}) does not allow this in this team.`,
      );
    }
    return true;
  }
}
