import { Inject, Injectable } from '@nestjs/common';
import { GatewayConfig } from '@tessera/config';
import { ClientInfo, RpcClient, SessionRef, TesseraError } from '@tessera/contracts';
import { CONFIG } from '@tessera/runtime';
import { Request } from 'express';
import { SESSION_COOKIE } from './cookies';

/** The browser's session, from its refresh-token cookie, for pages and form posts (no token rotation). */
@Injectable()
export class BrowserSessionService {
  private readonly origin: string;

  constructor(
    private readonly rpc: RpcClient,
    @Inject(CONFIG) config: GatewayConfig,
  ) {
    this.origin = new URL(config.publicUrl).origin;
  }

  async of(request: Request): Promise<SessionRef | undefined> {
    const refreshToken: unknown = request.cookies?.[SESSION_COOKIE];
    return typeof refreshToken === 'string' ? this.resolve(refreshToken) : undefined;
  }

  /**
   * The live session of a refresh token, without rotating it; `undefined` when it is unknown, ended, or too old
   * for its user's `sessions.maxAgeHours` (identity ends it then). Every page and form post goes through here.
   */
  async resolve(refreshToken: string): Promise<SessionRef | undefined> {
    try {
      return await this.rpc.request('tessera.identity.session.resolve', { refreshToken });
    } catch (error) {
      if (error instanceof TesseraError && error.code === 'invalid_grant') return undefined;
      throw error;
    }
  }

  /**
   * Form posts that act with the session cookie must come from our own pages. SameSite=Lax already keeps the
   * cookie off cross-site posts; this refuses any that a browser marks as coming from another origin.
   */
  assertSameOrigin(request: Request): void {
    if (!this.isSameOrigin(request)) {
      throw new TesseraError('cross_site_request', 'This request must come from a Tessera page.');
    }
  }

  /**
   * Whether nothing says the request came from another origin: a foreign `Origin`, or `Sec-Fetch-Site` other than
   * `same-origin` or `none` (typed in, a bookmark, or opened by another program such as the CLI). A request with
   * neither header (a browser too old to send them) cannot be told apart and is let through (decision 013).
   */
  isSameOrigin(request: Request): boolean {
    const origin = request.header('origin');
    const site = request.header('sec-fetch-site');
    return !((origin && origin !== this.origin) || (site && site !== 'same-origin' && site !== 'none'));
  }
}

export function clientInfo(request: Request): ClientInfo {
  return { userAgent: request.header('user-agent'), ip: request.ip };
}
