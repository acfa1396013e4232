import { Body, Controller, Get, Inject, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { GatewayConfig } from '@tessera/config';
import {
  DeviceAuthorization,
  DeviceAuthorizationSchema,
  DeviceCreateRequestSchema,
  DeviceDecisionRequestSchema,
  DeviceLookupReplySchema,
  DevicePollError,
  DevicePollRequestSchema,
  Jwks,
  JwksSchema,
  RefreshRequestSchema,
  RpcClient,
  SignInProvider,
  TesseraError,
  TokenGrant,
  TokenGrantSchema,
  Uuid,
} from '@tessera/contracts';
import { CONFIG, constantTimeEqual } from '@tessera/runtime';
import { Request, Response } from 'express';
import { z } from 'zod';
import { Endpoint, EndpointSpec, Errors } from '../http/endpoint';
import { deviceDonePage } from '../pages/device.page';
import { ActiveAccountService } from './active-account.service';
import { UserDirectory } from '../directory/user-directory';
import { BrowserSessionService, clientInfo } from './browser-session.service';
import { SESSION_COOKIE, SIGNIN_STATE_COOKIE, sessionCookie, signInStateCookie } from './cookies';
import { OAuthError, OAuthErrors } from './oauth-error';
import { AttemptLimits } from '../limits/attempt-limits';
import { RateLimitGuard } from './rate-limit.guard';
import { safeReturnTo } from './return-to';
import { SIGN_IN_REFUSALS } from './sign-in-refusals';
import { SignInMethodOption, SignInMethodOptionSchema, signInMethods } from './sign-in-providers';
import { SsoHint } from './sso-hint';

const DEVICE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';

/*
 * The `/auth` endpoints keep the names OAuth (RFC 6749, RFC 8628) and browser forms use. The token endpoints'
 * bodies are `z.object`, not strict: OAuth servers must ignore parameters they do not know (RFC 6749 §3.2).
 */
const StartQuery = z.strictObject({
  return_to: z.string().optional().meta({ description: 'Same-origin path to land on afterwards.' }),
  link: z.literal('1').optional().meta({ description: 'Links the provider to the signed-in user instead.' }),
});
const RefreshTokenField = RefreshRequestSchema.shape.refreshToken;
const TokenBody = z
  .object({
    grant_type: z.string().optional().meta({ description: 'Only `refresh_token`.' }),
    refresh_token: RefreshTokenField.optional().meta({ description: 'Instead of the session cookie.' }),
  })
  .optional();
const TokenAnswer = TokenGrantSchema.partial({ refresh_token: true });
const LogoutBody = z.strictObject({ refresh_token: RefreshTokenField.optional() }).optional();
const DeviceCodeBody = z.object({ client_id: DeviceCreateRequestSchema.shape.clientId }).optional();
const DeviceTokenBody = z.object({
  grant_type: z.string().meta({ description: `Only \`${DEVICE_GRANT_TYPE}\`.` }),
  device_code: DevicePollRequestSchema.shape.deviceCode,
});
const DeviceDecisionBody = z.strictObject({
  user_code: DeviceDecisionRequestSchema.shape.userCode,
  /** Empty when the form names no account. */
  account_id: z.union([Uuid, z.literal('')]).optional(),
});

/** A decision answers the browser's form with a page, and a JSON client with the grant's new state. */
const DECISION_ANSWER =
  'A page for the browser; with `Content-Type: application/json`, the `DeviceLogin` ' +
  '(`{ userCode, status, expiresAt }`).';

/** What approving and denying a device code have in common: the form, the page answered, the refusals. */
const DEVICE_DECISION = {
  description: DECISION_ANSWER,
  body: DeviceDecisionBody,
  response: z.string(),
  produces: 'text/html',
  status: 200,
  errors: {
    unauthenticated: 'No browser session.',
    cross_site_request: 'Posted from another site.',
    invalid_user_code: 'No pending login has this code, or it expired.',
  },
} satisfies Omit<EndpointSpec, 'summary'>;

const signInStart = (provider: string) => ({
  summary: `Starts sign-in with ${provider} (redirect). \`link=1\` links ${provider} to the signed-in user.`,
  query: StartQuery,
  response: null,
  status: 302,
  errors: { provider_not_configured: `${provider} sign-in is not configured here.` },
});

/** What a provider sends back (RFC 6749 §4.1.2); anything else it adds is passed on too, as the RFC wants. */
const CallbackQuery = z.looseObject({
  code: z.string().optional(),
  state: z.string().optional(),
  error: z.string().optional(),
  error_description: z.string().optional(),
});

const signInCallback = (provider: string) => ({
  summary: `${provider}'s redirect back. Success: session cookie and redirect to \`return_to\`.`,
  description:
    'Every query parameter goes to the identity service as the provider sent it. A refusal the person can act ' +
    'on redirects to `/signin?error=<code>`.',
  query: CallbackQuery,
  response: null,
  status: 302,
});

/**
 * Browser sign-in, tokens and device login. HTTP mechanics (cookies, redirects, rate limits, OAuth error shapes)
 * live here; every decision is identity's, asked over NATS.
 */
@ApiTags('auth')
@Errors({ rate_limited: 'Too many sign-in, token or device attempts from this address: wait a minute.' })
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

  @Get('providers')
  @Endpoint({
    summary:
      'The sign-in providers this installation offers (for a "Link GitHub" button, or a login screen).',
    response: z.array(SignInMethodOptionSchema),
    status: 200,
  })
  providers(): SignInMethodOption[] {
    return signInMethods(this.config);
  }

  @Get('github')
  @UseGuards(RateLimitGuard)
  @Endpoint(signInStart('GitHub'))
  github(
    @Req() request: Request,
    @Query() query: z.output<typeof StartQuery>,
    @Res() response: Response,
  ): Promise<void> {
    return this.start('github', request, query, response);
  }

  @Get('google')
  @UseGuards(RateLimitGuard)
  @Endpoint(signInStart('Google'))
  google(
    @Req() request: Request,
    @Query() query: z.output<typeof StartQuery>,
    @Res() response: Response,
  ): Promise<void> {
    return this.start('google', request, query, response);
  }

  @Get('github/callback')
  @UseGuards(RateLimitGuard)
  @Endpoint(signInCallback('GitHub'))
  githubCallback(
    @Req() request: Request,
    @Query() query: z.output<typeof CallbackQuery>,
    @Res() response: Response,
  ): Promise<void> {
    return this.callback('github', request, query, response);
  }

  @Get('google/callback')
  @UseGuards(RateLimitGuard)
  @Endpoint(signInCallback('Google'))
  googleCallback(
    @Req() request: Request,
    @Query() query: z.output<typeof CallbackQuery>,
    @Res() response: Response,
  ): Promise<void> {
    return this.callback('google', request, query, response);
  }

  @Post('token')
  @UseGuards(RateLimitGuard)
  @OAuthErrors('`invalid_grant`, `invalid_request` or `unsupported_grant_type`, as OAuth answers them.')
  @Endpoint({
    summary:
      'Exchanges a refresh token (session cookie, or `refresh_token` in the body) for an access token.',
    description:
      'The refresh token rotates: the body form answers the new one as `refresh_token`; the cookie form sets the ' +
      'new cookie. Presenting a rotated refresh token again revokes the whole session.',
    body: TokenBody,
    response: TokenAnswer,
    status: 200,
  })
  async token(
    @Req() request: Request,
    @Body() body: z.output<typeof TokenBody>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<z.input<typeof TokenAnswer>> {
    if (body?.grant_type !== undefined && body.grant_type !== 'refresh_token')
      throw new OAuthError('unsupported_grant_type', 'Only grant_type=refresh_token is accepted here.');
    const fromBody = body?.refresh_token;
    const refreshToken = fromBody ?? (request.cookies?.[SESSION_COOKIE] as string | undefined);
    if (!refreshToken) throw new OAuthError('invalid_request', 'No refresh token was sent.');
    let grant: TokenGrant;
    try {
      grant = await this.rpc.request('tessera.identity.token.refresh', { refreshToken });
    } catch (error) {
      if (!(error instanceof TesseraError && error.code === 'invalid_grant')) throw error;
      if (!fromBody) response.clearCookie(SESSION_COOKIE, { path: '/' });
      throw new OAuthError('invalid_grant', error.message);
    }
    response.setHeader('Cache-Control', 'no-store');
    if (fromBody) return grant;
    response.cookie(SESSION_COOKIE, grant.refresh_token, sessionCookie(this.config));
    return { access_token: grant.access_token, token_type: grant.token_type, expires_in: grant.expires_in };
  }

  @Post('logout')
  @Endpoint({
    summary: 'Revokes the session of the cookie or of `refresh_token` in the body.',
    body: LogoutBody,
    response: null,
    status: 204,
    errors: { cross_site_request: 'A logout by cookie posted from another site.' },
  })
  async logout(
    @Req() request: Request,
    @Body() body: z.output<typeof LogoutBody>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    const fromBody = body?.refresh_token;
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
  @Endpoint({
    summary: 'Public keys that verify access tokens (EdDSA), for services that check tokens themselves.',
    response: JwksSchema,
    status: 200,
  })
  async jwks(@Res({ passthrough: true }) response: Response): Promise<Jwks> {
    response.setHeader('Cache-Control', 'public, max-age=300');
    return this.rpc.request('tessera.identity.jwks.get', {});
  }

  @Post('device/code')
  @UseGuards(RateLimitGuard)
  @Endpoint({
    summary: 'Device login (RFC 8628), step 1: a device code for the CLI and a user code for the person.',
    body: DeviceCodeBody,
    response: DeviceAuthorizationSchema,
    status: 200,
  })
  deviceCode(@Body() body: z.output<typeof DeviceCodeBody>): Promise<DeviceAuthorization> {
    return this.rpc.request('tessera.identity.device.create', { clientId: body?.client_id });
  }

  @Post('device/token')
  @UseGuards(RateLimitGuard)
  @OAuthErrors(
    '`authorization_pending`, `slow_down`, `access_denied`, `expired_token`, `invalid_grant`, ' +
      '`invalid_request` or `unsupported_grant_type`, as OAuth answers them.',
  )
  @Endpoint({
    summary: 'Device login, step 3: the CLI polls until approved.',
    body: DeviceTokenBody,
    response: TokenGrantSchema,
    status: 200,
  })
  async deviceToken(
    @Req() request: Request,
    @Body() body: z.output<typeof DeviceTokenBody>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TokenGrant> {
    if (body.grant_type !== DEVICE_GRANT_TYPE)
      throw new OAuthError('unsupported_grant_type', `grant_type must be ${DEVICE_GRANT_TYPE}.`);
    const reply = await this.rpc.request('tessera.identity.device.poll', {
      deviceCode: body.device_code,
      client: clientInfo(request),
    });
    if ('error' in reply) throw new OAuthError(reply.error, DEVICE_ERRORS[reply.error]);
    response.setHeader('Cache-Control', 'no-store');
    return reply.grant;
  }

  @Post('device/approve')
  @UseGuards(RateLimitGuard)
  @Endpoint({
    ...DEVICE_DECISION,
    summary: 'Device login, step 2: the signed-in person approves the code (form post or JSON).',
    errors: { ...DEVICE_DECISION.errors, not_a_member: 'The account named is not one of yours.' },
  })
  approve(
    @Req() request: Request,
    @Body() body: z.output<typeof DeviceDecisionBody>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    return this.decide(true, request, body, response);
  }

  @Post('device/deny')
  @UseGuards(RateLimitGuard)
  @Endpoint({ ...DEVICE_DECISION, summary: 'Device login, step 2: the signed-in person refuses the code.' })
  deny(
    @Req() request: Request,
    @Body() body: z.output<typeof DeviceDecisionBody>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    return this.decide(false, request, body, response);
  }

  private async start(
    provider: SignInProvider,
    request: Request,
    query: z.output<typeof StartQuery>,
    response: Response,
  ): Promise<void> {
    const returnTo = safeReturnTo(query.return_to);
    let linkUserId: string | undefined;
    if (query.link === '1') {
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
  private async callback(
    provider: SignInProvider,
    request: Request,
    query: z.output<typeof CallbackQuery>,
    response: Response,
  ): Promise<void> {
    const expected: unknown = request.signedCookies?.[SIGNIN_STATE_COOKIE];
    response.clearCookie(SIGNIN_STATE_COOKIE, { path: '/auth' });
    const params = Object.fromEntries(
      Object.entries(query).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
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
      if (!(error instanceof TesseraError && SIGN_IN_REFUSALS.has(error.code))) throw error;
      const sso = error.code === 'sso_required' ? this.ssoConnectionOf(error) : undefined;
      // Signed, so that only this refusal, not a link anyone wrote, puts an SSO button on the sign-in page.
      const hint: Record<string, string> = sso ? { sso: this.ssoHint.sign(error.code, sso) } : {};
      response.redirect(302, `/signin?${new URLSearchParams({ error: error.code, ...hint })}`);
    }
  }

  /**
   * The SSO connection an `sso_required` refusal names: the one of its login URL (`/auth/saml/<id>/login`). The
   * sign-in page links to the connection's login itself, with the `return_to` it was given.
   */
  private ssoConnectionOf(error: TesseraError): string | undefined {
    const loginUrl = error.details?.find((detail) => detail.loginUrl)?.loginUrl;
    if (!loginUrl) return undefined;
    const [, auth, saml, connectionId, login] = new URL(loginUrl, this.config.publicUrl).pathname.split('/');
    return auth === 'auth' && saml === 'saml' && login === 'login' ? connectionId : undefined;
  }

  private async decide(
    approve: boolean,
    request: Request,
    body: z.output<typeof DeviceDecisionBody>,
    response: Response,
  ): Promise<string> {
    this.browser.assertSameOrigin(request);
    const session = await this.browser.of(request);
    if (!session) throw new TesseraError('unauthenticated', 'Sign in in this browser first.');
    await this.attempts.attempt(session.userId);
    const accountId = (approve && body.account_id) || undefined;
    if (accountId) await this.accounts.named(session.userId, accountId);
    const result = await this.rpc.request('tessera.identity.device.decide', {
      userCode: body.user_code,
      userId: session.userId,
      sessionId: session.sessionId,
      approve,
      accountId,
    });
    if (request.is('application/json')) {
      response.type('json');
      // Not parsed by @Endpoint on the way out (the route answers HTML too): only the declared fields leave.
      return JSON.stringify(DeviceLookupReplySchema.parse(result));
    }
    response.type('html');
    return deviceDonePage(approve);
  }
}

const DEVICE_ERRORS: Record<DevicePollError, string> = {
  authorization_pending: 'The person has not approved this code yet.',
  slow_down: 'Polling too fast: wait longer between requests.',
  access_denied: 'The person denied this login.',
  expired_token: 'The code expired; start the login again.',
  invalid_grant: 'Unknown or already used device code.',
};
