import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { GatewayConfig } from '@tessera/config';
import { RpcClient, TesseraError, isUuid } from '@tessera/contracts';
import { CONFIG } from '@tessera/runtime';
import { Request, Response } from 'express';
import { ErrorEnvelope } from '../http/error-envelope';
import { UserDirectory } from '../directory/user-directory';
import { ssoContinuePage } from '../pages/sso-continue.page';
import { ssoLinkPage } from '../pages/sso-link.page';
import { ssoSwitchPage } from '../pages/sso-switch.page';
import { ssoTestPage } from '../pages/sso-test.page';
import { BrowserSessionService, clientInfo } from './browser-session.service';
import {
  SESSION_COOKIE,
  SSO_PENDING_COOKIE,
  samlRequestCookie,
  sessionCookie,
  ssoPendingCookie,
} from './cookies';
import { RateLimitGuard } from './rate-limit.guard';
import { safeReturnTo } from './return-to';

/** Refusals a person can act on go back to the sign-in page; outages and bugs stay errors. */
const SHOWN_ON_SIGN_IN_PAGE = new Set([
  'invalid_state',
  'signin_failed',
  'forbidden',
  'not_found',
  'account_exists_with_different_provider',
  'identity_already_linked',
  'sso_required',
  'signin_method_not_allowed',
]);

const notFound = () => new TesseraError('not_found', 'The SSO connection was not found.');
const FINISH_PATH = '/auth/saml/finish';

/**
 * What the ACS leaves for `/auth/saml/finish` (see `ssoPendingCookie`): a session the browser has yet to take, or a
 * sign-in waiting for the person to agree to link it to the existing account with their e-mail. `idpInitiatedVia`
 * (the connection's name) marks an IdP-initiated session, which the person confirms even in a signed-out browser.
 */
type Pending =
  | { refreshToken: string; returnTo: string; idpInitiatedVia?: string }
  | { linkToken: string; email: string; providers: string[]; returnTo: string };

/**
 * SAML single sign-on as the browser and the IdP see it: the SP metadata, the redirect to the IdP, and the
 * Assertion Consumer Service the IdP posts to. Every decision is identity's, asked over NATS.
 */
@ApiTags('auth')
@Controller('auth')
export class SamlController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly browser: BrowserSessionService,
    private readonly users: UserDirectory,
    @Inject(CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Get('saml/:connectionId/metadata')
  @ApiOperation({
    summary: "Tessera's SAML service-provider metadata for this connection, to import into the IdP.",
  })
  @ApiProduces('application/samlmetadata+xml')
  @ApiResponse({ status: 404, type: ErrorEnvelope, description: '`not_found`.' })
  async metadata(@Param('connectionId') connectionId: string, @Res() response: Response): Promise<void> {
    if (!isUuid(connectionId)) throw notFound();
    const { xml } = await this.rpc.request('tessera.identity.sso.metadata', { connectionId });
    response.type('application/samlmetadata+xml').send(xml);
  }

  @Get('saml/:connectionId/login')
  @UseGuards(RateLimitGuard)
  @ApiOperation({
    summary: 'Starts SP-initiated SAML sign-in (redirect to the IdP).',
    description:
      'Only for an enabled connection whose organization owns a verified domain. Sets a cookie binding the ' +
      'request to this browser: the ACS accepts the answer only from it. A navigation from another site ' +
      '(`Sec-Fetch-Site` `cross-site` or `same-site`) starts nothing: it gets a page whose button starts the sign-in.',
  })
  @ApiQuery({ name: 'return_to', required: false, description: 'Same-origin path to land on afterwards.' })
  @ApiResponse({ status: 302, description: 'To the IdP, carrying a SAML AuthnRequest.' })
  @ApiResponse({ status: 200, description: 'From another site: the "Continue with single sign-on" page.' })
  @ApiResponse({
    status: 404,
    type: ErrorEnvelope,
    description: '`not_found`: no such enabled connection, or its organization has no verified domain.',
  })
  async login(
    @Param('connectionId') connectionId: string,
    @Query('return_to') returnTo: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    if (!isUuid(connectionId)) throw notFound();
    // Another site may not start a sign-in here: its IdP would answer at once for its own user, and the binding
    // cookie set below would match (login CSRF). The person starts it from our page instead (decision 013).
    if (!this.browser.isSameOrigin(request)) {
      response
        .status(200)
        .type('html')
        .send(ssoContinuePage(connectionId, safeReturnTo(returnTo)));
      return;
    }
    const { redirectUrl, binding } = await this.rpc.request('tessera.identity.sso.start', {
      connectionId,
      returnTo: safeReturnTo(returnTo),
      purpose: 'signin',
    });
    const cookie = samlRequestCookie(this.config);
    response.cookie(cookie.name, binding, cookie.options);
    response.redirect(302, redirectUrl);
  }

  @Post('saml/:connectionId/acs')
  @UseGuards(RateLimitGuard)
  @ApiOperation({
    summary: 'Assertion Consumer Service: the IdP posts the SAML response here (HTTP-POST binding).',
    description:
      'Success: redirect to `/auth/saml/finish`, which gives the browser its session and goes on to where sign-in ' +
      'started (`/` for IdP-initiated). An SP-initiated response must come from the browser that started it. A ' +
      'refused response redirects to `/signin?error=signin_failed`; the reason is only in the server log and the ' +
      '`sso.failed` event.',
  })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ schema: { properties: { SAMLResponse: { type: 'string' }, RelayState: { type: 'string' } } } })
  @ApiResponse({
    status: 303,
    description: 'To `/auth/saml/finish`, or to `/signin?error=<code>` when refused.',
  })
  @ApiResponse({ status: 200, description: 'For a "test connection" round trip: the attributes received.' })
  async acs(
    @Param('connectionId') connectionId: string,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    if (!isUuid(connectionId)) throw notFound();
    if (typeof body?.SAMLResponse !== 'string')
      throw new TesseraError('validation_failed', 'The form must carry a `SAMLResponse`.');
    const cookie = samlRequestCookie(this.config);
    const binding: unknown = request.cookies?.[cookie.name];
    try {
      const result = await this.rpc.request('tessera.identity.sso.complete', {
        connectionId,
        samlResponse: body.SAMLResponse,
        client: clientInfo(request),
        binding: typeof binding === 'string' ? binding : undefined,
      });
      if (result.purpose === 'test') {
        response.status(200).type('html').send(ssoTestPage(result));
        return;
      }
      response.clearCookie(cookie.name, { ...cookie.options, maxAge: undefined });
      const { returnTo } = result;
      this.holdPending(
        response,
        result.purpose === 'signin'
          ? {
              refreshToken: result.refreshToken,
              returnTo,
              idpInitiatedVia: result.idpInitiated?.connectionName,
            }
          : { linkToken: result.linkToken, email: result.email, providers: result.providers, returnTo },
      );
    } catch (error) {
      if (!(error instanceof TesseraError && SHOWN_ON_SIGN_IN_PAGE.has(error.code))) throw error;
      response.redirect(303, `/signin?${new URLSearchParams({ error: error.code })}`);
    }
  }

  @Get('saml/finish')
  @ApiOperation({
    summary: 'After the ACS: gives the browser the session SSO opened, or first asks the person (see below).',
    description:
      'Signed in as the same user, or as nobody after an SP-initiated sign-in: session cookie and redirect to ' +
      '`return_to`. Signed in as another user: a page asking whether to switch. Signed in as nobody after an ' +
      'IdP-initiated sign-in: a page asking whether to continue as that user. Nothing changes until the person answers.',
  })
  @ApiResponse({
    status: 303,
    description: 'To `return_to`, or to `/signin?error=invalid_state` with nothing pending.',
  })
  @ApiResponse({
    status: 200,
    description: 'The "switch account?", "continue as …?" or "link your account?" page.',
  })
  async finish(@Req() request: Request, @Res() response: Response): Promise<void> {
    const pending = pendingOf(request);
    if (!pending) return response.redirect(303, '/signin?error=invalid_state');
    if ('linkToken' in pending) {
      response.status(200).type('html').send(ssoLinkPage(pending.email, pending.providers));
      return;
    }
    const [current, next] = await Promise.all([
      this.browser.of(request),
      this.browser.resolve(pending.refreshToken),
    ]);
    if (!next) return this.endPending(response, '/signin?error=invalid_state');
    // Another user's session is never replaced silently; nor does a signed-out browser silently take a session no
    // request of its own asked for: another site may have posted an IdP-initiated answer into it (login CSRF).
    const ask = current ? current.userId !== next.userId : pending.idpInitiatedVia !== undefined;
    if (ask) {
      const [currentUser, nextUser] = await Promise.all([
        current ? this.users.view(current.userId) : undefined,
        this.users.view(next.userId),
      ]);
      response
        .status(200)
        .type('html')
        .send(ssoSwitchPage(nextUser.email, { current: currentUser?.email, via: pending.idpInitiatedVia }));
      return;
    }
    response.cookie(SESSION_COOKIE, pending.refreshToken, sessionCookie(this.config));
    this.endPending(response, safeReturnTo(pending.returnTo));
  }

  @Post('saml/finish')
  @ApiOperation({
    summary:
      'The answer to "switch account?" (`choice=switch` or `stay`), "continue as …?" (`switch` or `cancel`) or ' +
      '"link your account?" (`link` or `cancel`).',
  })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiResponse({
    status: 303,
    description: 'To `return_to` (switch), `/` (stay), `/auth/saml/finish` (link) or `/signin` (cancel).',
  })
  @ApiResponse({ status: 403, type: ErrorEnvelope, description: '`cross_site_request`.' })
  async choose(
    @Req() request: Request,
    @Body() body: Record<string, unknown>,
    @Res() response: Response,
  ): Promise<void> {
    this.browser.assertSameOrigin(request);
    const pending = pendingOf(request);
    if (!pending) return response.redirect(303, '/signin?error=invalid_state');
    if ('linkToken' in pending) {
      if (body?.choice !== 'link') return this.endPending(response, '/signin');
      try {
        const signedIn = await this.rpc.request('tessera.identity.sso.link.confirm', {
          linkToken: pending.linkToken,
          client: clientInfo(request),
        });
        this.users.forget(signedIn.userId);
        // Now a session like any other: GET finish still asks before replacing another user's.
        return this.holdPending(response, {
          refreshToken: signedIn.refreshToken,
          returnTo: signedIn.returnTo,
        });
      } catch (error) {
        if (!(error instanceof TesseraError && SHOWN_ON_SIGN_IN_PAGE.has(error.code))) throw error;
        return this.endPending(response, `/signin?${new URLSearchParams({ error: error.code })}`);
      }
    }
    if (body?.choice === 'switch') {
      response.cookie(SESSION_COOKIE, pending.refreshToken, sessionCookie(this.config));
      return this.endPending(response, safeReturnTo(pending.returnTo));
    }
    // Staying or cancelling: the session SSO opened is ended, so it cannot be taken later.
    const next = await this.browser.resolve(pending.refreshToken);
    if (next) await this.rpc.request('tessera.identity.session.revoke', { sessionId: next.sessionId });
    this.endPending(response, body?.choice === 'cancel' ? '/signin' : '/');
  }

  private holdPending(response: Response, pending: Pending): void {
    response.cookie(SSO_PENDING_COOKIE, JSON.stringify(pending), ssoPendingCookie(this.config));
    response.redirect(303, FINISH_PATH);
  }

  private endPending(response: Response, location: string): void {
    response.clearCookie(SSO_PENDING_COOKIE, { path: '/auth/saml' });
    response.redirect(303, location);
  }

  @Get('sso')
  @UseGuards(RateLimitGuard)
  @ApiOperation({
    summary:
      "The sign-in page's SSO form: redirects to the e-mail's organization SSO, or back to the sign-in page.",
  })
  @ApiQuery({ name: 'email', required: true })
  @ApiQuery({ name: 'return_to', required: false })
  @ApiResponse({ status: 302, description: 'To the SSO login, or to `/signin?error=not_found`.' })
  async ssoByEmail(
    @Query('email') email: unknown,
    @Query('return_to') returnTo: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const query = new URLSearchParams({ return_to: safeReturnTo(returnTo) });
    const { loginUrl } =
      typeof email === 'string' && email.length <= 254
        ? await this.rpc.request('tessera.identity.sso.discover', { email })
        : { loginUrl: null };
    if (!loginUrl) return response.redirect(302, `/signin?error=not_found&${query}`);
    response.redirect(302, `${new URL(loginUrl).pathname}?${query}`);
  }

  @Post('sso/discover')
  @HttpCode(200)
  @UseGuards(RateLimitGuard)
  @ApiOperation({
    summary:
      "Whether an e-mail signs in with its organization's SSO, and where (the sign-in page and CLI ask this).",
    description:
      "Answers `{ loginUrl }` when the e-mail's domain is verified by an organization with SSO, else `{ loginUrl: null }`.",
  })
  @ApiBody({ schema: { properties: { email: { type: 'string', example: 'ada@acme.com' } } } })
  @ApiResponse({ status: 200, description: '`{ loginUrl: string | null }`.' })
  @ApiResponse({ status: 429, type: ErrorEnvelope, description: '`rate_limited`.' })
  discover(@Body() body: Record<string, unknown>): Promise<{ loginUrl: string | null }> {
    if (typeof body?.email !== 'string' || body.email.length > 254)
      throw new TesseraError('validation_failed', '`email` must be an e-mail address.');
    return this.rpc.request('tessera.identity.sso.discover', { email: body.email });
  }
}

function pendingOf(request: Request): Pending | undefined {
  const raw: unknown = request.signedCookies?.[SSO_PENDING_COOKIE];
  if (typeof raw !== 'string') return undefined;
  try {
    const parsed = JSON.parse(raw) as Record<string, unknown>;
    if (typeof parsed.returnTo !== 'string') return undefined;
    if (typeof parsed.refreshToken === 'string')
      return {
        refreshToken: parsed.refreshToken,
        returnTo: parsed.returnTo,
        idpInitiatedVia: typeof parsed.idpInitiatedVia === 'string' ? parsed.idpInitiatedVia : undefined,
      };
    if (
      typeof parsed.linkToken === 'string' &&
      typeof parsed.email === 'string' &&
      Array.isArray(parsed.providers)
    )
      return {
        linkToken: parsed.linkToken,
        email: parsed.email,
        providers: parsed.providers.filter((provider): provider is string => typeof provider === 'string'),
        returnTo: parsed.returnTo,
      };
    return undefined;
  } catch {
    return undefined;
  }
}
