import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { TesseraError } from '@tessera/contracts';
import { Response } from 'express';
import { AccessTokenVerifier } from './access-token-verifier';
import { ACCOUNT_HEADER, ActiveAccountService } from './active-account.service';
import { AuthenticatedRequest } from './principal';

/**
 * Every `/v1` route: a valid Bearer access token is required; `X-Tessera-Account`, when present, must name an
 * account the caller belongs to. Failures are 401 `unauthenticated` / `invalid_token` or 403 `not_a_member`.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly accounts: ActiveAccountService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const [scheme, token] = (request.header('authorization') ?? '').split(' ', 2);
    if (scheme?.toLowerCase() === 'key')
      throw new TesseraError(
        'forbidden',
        'API keys cannot do this: it is for signed-in people. Sign in instead.',
      );
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      response.setHeader('WWW-Authenticate', 'Bearer realm="tessera"');
      throw new TesseraError(
        'unauthenticated',
        'Sign in first: send `Authorization: Bearer <access token>`.',
      );
    }
    try {
      const claims = await this.verifier.verify(token);
      request.principal = { userId: claims.sub, sessionId: claims.sid, tokenAccountId: claims.acc };
    } catch (error) {
      if (error instanceof TesseraError && error.code === 'invalid_token') {
        response.setHeader('WWW-Authenticate', 'Bearer realm="tessera", error="invalid_token"');
      }
      throw error;
    }
    const named = request.header(ACCOUNT_HEADER);
    if (named) request.principal.account = await this.accounts.named(request.principal.userId, named);
    return true;
  }
}
