import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import { AccountView } from '@tessera/contracts';
import { Request } from 'express';

/** Who is calling: a signed-in member (Bearer). API keys join with the keys issue. */
export interface Principal {
  userId: string;
  sessionId: string;
  /** The account chosen at device login, carried in the token. */
  tokenAccountId?: string;
  /** Resolved from `X-Tessera-Account` by the guard, when the request named one. */
  account?: AccountView;
}

export type AuthenticatedRequest = Request & { principal: Principal };

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().principal,
);
