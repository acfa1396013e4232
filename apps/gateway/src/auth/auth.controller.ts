import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { GatewayConfig } from '@tessera/config';
import {
  DeviceAuthorization,
  DeviceLookupReply,
  Jwks,
  RpcClient,
  SignInProvider,
  TesseraError,
  TokenGrant,
} from '@tessera/contracts';
import { CONFIG, constantTimeEqual } from '@tessera/runtime';
import { Request, Response } from 'express';
import { ErrorEnvelope } from '../http/error-envelope';
import { deviceDonePage } from '../pages/device.page';
import { ActiveAccountService } from './active-account.service';
import { UserDirectory } from '../directory/user-directory';
import { BrowserSessionService, clientInfo } from './browser-session.service';
import { SESSION_COOKIE, SIGNIN_STATE_COOKIE, sessionCookie, signInStateCookie } from './cookies';
import { sendOAuthError } from './oauth-error';
import { AttemptLimits } from '../limits/attempt-limits';
import { RateLimitGuard } from './rate-limit.guard';
import { safeReturnTo } from './return-to';
import { SsoHint } from './sso-hint';

const DEVICE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';
/** Failures a person can act on go back to the sign-in page; outages and bugs stay errors. */
const SHOWN_ON_SIGN_IN_PAGE = new Set([
  'invalid_state',
  'signin_failed',
  'email_not_verified',
  'account_exists_with_different_provider',
  'identity_already_linked',
  'provider_not_configured',
  'sso_required',
  'signin_method_not_allowed',
]);
/** `sso_required` messages end with the organization's SSO login URL; the sign-in page links to it. */
const SSO_LOGIN_PATH = /\/auth\/saml\/([0-9a-f-]{36})\/login$/;

type Form = Record<string, unknown>;

/**
 * Browser sign-in, tokens and device login. HTTP mechanics (cookies, redirects, rate limits, OAuth error shapes)
 * live here; every decision is identity's, asked over NATS.
 */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  private readonly ssoHint: SsoHint;

  constructor(
    private readonly rpc: RpcClient,
    private readonly browser: BrowserSessionService,
    private readonly accounts: ActiveAccountService,
    private readonly users: UserDirectory,
    private readonly attempts: AttemptLimits,
    @Inject(CONFIG) private readonly config: GatewayConfig,
  ) {
    this.ssoHint = new SsoHint(config);
  }

  @Get('github')
  @UseGuards(RateLimitGuard)
  @ApiOperation({
    summary: 'Starts sign-in with GitHub (redirect). `link=1` links GitHub to the signed-in user.',
  })
  @ApiQuery({ name: 'return_to', required: false, description: 'Same-origin path to land on afterwards.' })
  @ApiQuery({ name: 'link', required: false, enum: ['1'] })
  @ApiResponse({ status: 302, description: 'To GitHub.' })
  @ApiResponse({ status: 404, type: ErrorEnvelope, description: '`provider_not_configured`.' })
  @ApiResponse({ status: 429, type: ErrorEnvelope, description: '`rate_limited`.' })
  github(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.start('github', request, response);
  }

  @Get('google')
  @UseGuards(RateLimitGuard)
  @ApiOperation({
    summary: 'Starts sign-in with Google (OpenID Connect). `link=1` links it to the signed-in user.',
  })
  @ApiQuery({ name: 'return_to', required: false })
  @ApiQuery({ name: 'link', required: false, enum: ['1'] })
  @ApiResponse({ status: 302, description: 'To Google.' })
  @ApiResponse({ status: 404, type: ErrorEnvelope, description: '`provider_not_configured`.' })
  @ApiResponse({ status: 429, type: ErrorEnvelope, description: '`rate_limited`.' })
  google(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.start('google', request, response);
  }

  @Get('github/callback')
  @UseGuards(RateLimitGuard)
  @ApiOperation({ summary: "GitHub's redirect back. Success: session cookie and redirect to `return_to`." })
  @ApiResponse({ status: 302, description: 'To `return_to`, or to `/signin?error=<code>` when refused.' })
  githubCallback(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.callback('github', request, response);
  }

  @Get('google/callback')
  @UseGuards(RateLimitGuard)
  @ApiOperation({ summary: "Google's redirect back. Success: session cookie and redirect to `return_to`." })
  @ApiResponse({ status: 302, description: 'To `return_to`, or to `/signin?error=<code>` when refused.' })
  googleCallback(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.callback('google', request, response);
  }

  @Post('token')
  @HttpCode(200)
  @UseGuards(RateLimitGuard)
  @ApiOperation({
    summary:
      'Exchanges a refresh token (session cookie, or `refresh_token` in the body) for an access token.',
    description:
      'The refresh token rotates: the body form answers the new one as `refresh_token`; the cookie form sets the ' +
      'new cookie. Presenting a rotated refresh token again revokes the whole session. Errors are OAuth-shaped.',
  })
  @ApiBody({
    required: false,
    schema: { properties: { grant_type: { enum: ['refresh_token'] }, refresh_token: {} } },
  })
  @ApiResponse({
    status: 200,
    description: '`{ access_token, token_type: "Bearer", expires_in[, refresh_token] }`.',
  })
  @ApiResponse({ status: 400, description: '`{ error: "invalid_grant" | "invalid_request" | ... }`.' })
  @ApiResponse({ status: 429, type: ErrorEnvelope, description: '`rate_limited`.' })
  async token(
    @Req() request: Request,
    @Body() body: Form,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Partial<TokenGrant> | { error: string }> {
    if (body?.grant_type !== undefined && body.grant_type !== 'refresh_token') {
      return sendOAuthError(
        response,
        'unsupported_grant_type',
        'Only grant_type=refresh_token is accepted here.',
      );
    }
    const fromBody = typeof body?.refresh_token === 'string' ? body.refresh_token : undefined;
    const refreshToken = fromBody ?? (request.cookies?.[SESSION_COOKIE] as string | undefined);
    if (!refreshToken) return sendOAuthError(response, 'invalid_request', 'No refresh token was sent.');
    let grant: TokenGrant;
    try {
      grant = await this.rpc.request('tessera.identity.token.refresh', { refreshToken });
    } catch (error) {
      if (!(error instanceof TesseraError && error.code === 'invalid_grant')) throw error;
      if (!fromBody) response.clearCookie(SESSION_COOKIE, { path: '/' });
      return sendOAuthError(response, 'invalid_grant', error.message);
    }
    response.setHeader('Cache-Control', 'no-store');
    if (fromBody) return grant;
    response.cookie(SESSION_COOKIE, grant.refresh_token, sessionCookie(this.config));
    return { access_token: grant.access_token, token_type: grant.token_type, expires_in: grant.expires_in };
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revokes the session of the cookie or of `refresh_token` in the body; 204.',
  })
  @ApiResponse({
    status: 403,
    type: ErrorEnvelope,
    description: '`cross_site_request`: a logout by cookie posted from another site.',
  })
  async logout(@Req() request: Request, @Body() body: Form, @Res({ passthrough: true }) response: Response) {
    const fromBody = typeof body?.refresh_token === 'string' ? body.refresh_token : undefined;
    // The cookie goes with any same-site request, so another site must not be able to end the session with it.
    if (fromBody === undefined && request.cookies?.[SESSION_COOKIE] !== undefined)
      this.browser.assertSameOrigin(request);
    const refreshToken: unknown = fromBody ?? request.cookies?.[SESSION_COOKIE];
    if (typeof refreshToken === 'string') {
      const session = await this.browser.resolve(refreshToken);
      if (session)
        await this.rpc.request('tessera.identity.session.revoke', { sessionId: session.sessionId });
    }
    response.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @Get('jwks')
  @ApiOperation({
    summary: 'Public keys that verify access tokens (EdDSA), for services that check tokens themselves.',
  })
  async jwks(@Res({ passthrough: true }) response: Response): Promise<Jwks> {
    response.setHeader('Cache-Control', 'public, max-age=300');
    return this.rpc.request('tessera.identity.jwks.get', {});
  }

  @Post('device/code')
  @HttpCode(200)
  @UseGuards(RateLimitGuard)
  @ApiOperation({
    summary: 'Device login (RFC 8628), step 1: a device code for the CLI and a user code for the person.',
  })
  @ApiBody({ required: false, schema: { properties: { client_id: { type: 'string' } } } })
  deviceCode(@Body() body: Form): Promise<DeviceAuthorization> {
    const clientId = typeof body?.client_id === 'string' ? body.client_id.slice(0, 100) : undefined;
    return this.rpc.request('tessera.identity.device.create', { clientId });
  }

  @Post('device/token')
  @HttpCode(200)
  @UseGuards(RateLimitGuard)
  @ApiOperation({
    summary: 'Device login, step 3: the CLI polls until approved.',
    description:
      'Errors (OAuth-shaped): authorization_pending, slow_down, access_denied, expired_token, invalid_grant.',
  })
  @ApiBody({
    schema: { properties: { grant_type: { enum: [DEVICE_GRANT_TYPE] }, device_code: { type: 'string' } } },
  })
  async deviceToken(
    @Req() request: Request,
    @Body() body: Form,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TokenGrant | { error: string }> {
    if (body?.grant_type !== DEVICE_GRANT_TYPE) {
      return sendOAuthError(response, 'unsupported_grant_type', `grant_type must be ${DEVICE_GRANT_TYPE}.`);
    }
    if (typeof body.device_code !== 'string')
      return sendOAuthError(response, 'invalid_request', 'device_code is missing.');
    const reply = await this.rpc.request('tessera.identity.device.poll', {
      deviceCode: body.device_code,
      client: clientInfo(request),
    });
    if ('error' in reply) return sendOAuthError(response, reply.error, DEVICE_ERRORS[reply.error]);
    response.setHeader('Cache-Control', 'no-store');
    return reply.grant;
  }

  @Post('device/approve')
  @UseGuards(RateLimitGuard)
  @ApiOperation({
    summary: 'Device login, step 2: the signed-in person approves the code (form post or JSON).',
  })
  @ApiBody({ schema: { properties: { user_code: { type: 'string' }, account_id: { type: 'string' } } } })
  @ApiResponse({ status: 401, type: ErrorEnvelope, description: '`unauthenticated`: no browser session.' })
  @ApiResponse({ status: 403, type: ErrorEnvelope, description: '`not_a_member` or `cross_site_request`.' })
  @ApiResponse({ status: 404, type: ErrorEnvelope, description: '`invalid_user_code`.' })
  @ApiResponse({ status: 429, type: ErrorEnvelope, description: '`rate_limited`.' })
  approve(@Req() request: Request, @Body() body: Form, @Res() response: Response): Promise<void> {
    return this.decide(true, request, body, response);
  }

  @Post('device/deny')
  @UseGuards(RateLimitGuard)
  @ApiOperation({ summary: 'Device login, step 2: the signed-in person refuses the code.' })
  @ApiResponse({ status: 429, type: ErrorEnvelope, description: '`rate_limited`.' })
  deny(@Req() request: Request, @Body() body: Form, @Res() response: Response): Promise<void> {
    return this.decide(false, request, body, response);
  }

  private async start(provider: SignInProvider, request: Request, response: Response): Promise<void> {
    const returnTo = safeReturnTo(request.query.return_to);
    let linkUserId: string | undefined;
    if (request.query.link === '1') {
      linkUserId = (await this.browser.of(request))?.userId;
      if (!linkUserId)
        return response.redirect(302, `/signin?${new URLSearchParams({ return_to: returnTo })}`);
    }
    const { authorizationUrl, state } = await this.rpc.request('tessera.identity.signin.start', {
      provider,
      returnTo,
      linkUserId,
    });
    response.cookie(SIGNIN_STATE_COOKIE, state, signInStateCookie(this.config));
    response.redirect(302, authorizationUrl);
  }

  /** The state must be the one this browser's signed cookie holds: a callback started elsewhere is refused. */
  private async callback(provider: SignInProvider, request: Request, response: Response): Promise<void> {
    const expected: unknown = request.signedCookies?.[SIGNIN_STATE_COOKIE];
    response.clearCookie(SIGNIN_STATE_COOKIE, { path: '/auth' });
    const params = Object.fromEntries(
      Object.entries(request.query).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    );
    if (typeof expected !== 'string' || !params.state || !constantTimeEqual(expected, params.state)) {
      return response.redirect(302, '/signin?error=invalid_state');
    }
    try {
      const result = await this.rpc.request('tessera.identity.signin.complete', {
        provider,
        params,
        client: clientInfo(request),
      });
      if (result.linked) this.users.forget(result.userId);
      if (result.refreshToken)
        response.cookie(SESSION_COOKIE, result.refreshToken, sessionCookie(this.config));
      response.redirect(302, result.returnTo);
    } catch (error) {
      if (!(error instanceof TesseraError && SHOWN_ON_SIGN_IN_PAGE.has(error.code))) throw error;
      const sso = error.code === 'sso_required' ? SSO_LOGIN_PATH.exec(error.message)?.[1] : undefined;
      // Signed, so that only this refusal, not a link anyone wrote, puts an SSO button on the sign-in page.
      const hint: Record<string, string> = sso ? { sso: this.ssoHint.sign(error.code, sso) } : {};
      response.redirect(302, `/signin?${new URLSearchParams({ error: error.code, ...hint })}`);
    }
  }

  private async decide(approve: boolean, request: Request, body: Form, response: Response): Promise<void> {
    this.browser.assertSameOrigin(request);
    const session = await this.browser.of(request);
    if (!session) throw new TesseraError('unauthenticated', 'Sign in in this browser first.');
    await this.attempts.attempt(session.userId);
    const userCode = typeof body?.user_code === 'string' ? body.user_code : '';
    const accountId =
      approve && typeof body?.account_id === 'string' && body.account_id ? body.account_id : undefined;
    if (accountId) await this.accounts.named(session.userId, accountId);
    const result: DeviceLookupReply = await this.rpc.request('tessera.identity.device.decide', {
      userCode,
      userId: session.userId,
      sessionId: session.sessionId,
      approve,
      accountId,
    });
    response.status(200);
    if (request.is('application/json')) {
      response.json(result);
    } else {
      response.type('html').send(deviceDonePage(approve));
    }
  }
}

const DEVICE_ERRORS: Record<string, string> = {
  authorization_pending: 'The person has not approved this code yet.',
  slow_down: 'Polling too fast: wait longer between requests.',
  access_denied: 'The person denied this login.',
  expired_token: 'The code expired; start the login again.',
  invalid_grant: 'Unknown or already used device code.',
};
