import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Action, ResourceAction, TeamAction, can } from '@tessera/authz';
import { TesseraError } from '@tessera/contracts';
import { Request, Response } from 'express';
import { ACCOUNT_HEADER } from '../auth/active-account.service';
import { FailureLimiter } from './failure-limiter';
import { Principals, ResolvedPrincipal } from './principals';

/** What a route needs: a member's permission (role matrix) and, if keys may call it too, a key's action. */
export interface RoutePermission {
  member: TeamAction;
  key?: ResourceAction;
}

const PERMISSION = Symbol('PERMISSION');
export const Permission = (permission: RoutePermission) => SetMetadata(PERMISSION, permission);

export type CallerRequest = Request & { caller: ResolvedPrincipal };

/** Answered like an account that does not exist, so account ids leak nothing. */
const HIDDEN = new Set(['not_a_member', 'account_archived']);

/**
 * Routes that accept either credential — `Authorization: Key …` or `Authorization: Bearer …` — for the account
 * in the path (`:accountId`; else the active account). A key of another account, or a person who is not a
 * member, gets 404 `not_found`; a missing or bad credential 401 (`unauthenticated`, `invalid_credentials`,
 * `invalid_token`); a role or scope that does not allow the route 403 `forbidden` or `scope_insufficient`.
 * Failed attempts count towards the client address's limit.
 */
@Injectable()
export class CredentialGuard implements CanActivate {
  constructor(
    private readonly principals: Principals,
    private readonly limiter: FailureLimiter,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<CallerRequest>();
    const authorization = request.header('authorization');
    if (!authorization) {
      context
        .switchToHttp()
        .getResponse<Response>()
        .setHeader('WWW-Authenticate', 'Key realm="tessera", Bearer realm="tessera"');
      throw new TesseraError(
        'unauthenticated',
        'Send `Authorization: Key <API key>` or `Authorization: Bearer <access token>`.',
      );
    }
    const inPath = typeof request.params.accountId === 'string' ? request.params.accountId : undefined;
    const accountId = inPath ?? request.header(ACCOUNT_HEADER);
    this.limiter.check(request.ip);
    try {
      request.caller = await this.principals.resolve(authorization, accountId);
    } catch (error) {
      if (!(error instanceof TesseraError)) throw error;
      if (error.code === 'invalid_credentials' || error.code === 'invalid_token')
        await this.limiter.failed(request.ip);
      if (inPath && HIDDEN.has(error.code)) throw new TesseraError('not_found', 'The account was not found.');
      throw error;
    }
    const permission = this.reflector.get<RoutePermission | undefined>(PERMISSION, context.getHandler());
    if (permission) authorize(request.caller, permission);
    return true;
  }
}

function authorize({ actor }: ResolvedPrincipal, permission: RoutePermission): void {
  if (actor.type === 'member') {
    if (!can({ role: actor.role }, permission.member))
      throw new TesseraError('forbidden', `Your role (${actor.role}) does not allow this in this account.`);
    return;
  }
  const action: Action | undefined = permission.key;
  if (!action)
    throw new TesseraError(
      'forbidden',
      'API keys cannot do this: keys, members and roles are managed by people. Sign in instead.',
    );
  if (!can({ keyScope: actor.scope }, action))
    throw new TesseraError(
      'scope_insufficient',
      `An ${actor.scope} key cannot do this (it needs ${action}).`,
    );
}

/** The member behind a request on a people-only route (the guard has already refused keys there). */
export function actingMember({ actor }: ResolvedPrincipal): string {
  if (actor.type !== 'member')
    throw new TesseraError('forbidden', 'API keys cannot do this. Sign in instead.');
  return actor.userId;
}
