import {
  Body,
  Controller,
  Get,
  Header,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import { GatewayConfig } from '@tessera/config';
import {
  EmailAddressSchema,
  RpcClient,
  SsoDiscoverReplySchema,
  SsoDiscoverRequestSchema,
  TesseraError,
  Uuid,
} from '@tessera/contracts';
import { CONFIG } from '@tessera/runtime';
import { Request, Response } from 'express';
import { z } from 'zod';
import { Endpoint } from '../http/endpoint';
import { UserDirectory } from '../directory/user-directory';
import { ssoContinuePage } from '../pages/sso-continue.page';
import { ssoLinkPage } from '../pages/sso-link.page';
import { ssoOnwardPage } from '../pages/sso-onward.page';
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
import { SIGN_IN_REFUSALS } from './sign-in-refusals';

const ConnectionPath = z.strictObject({ connectionId: Uuid });
/** Where to land after signing in: a same-origin path (anything else lands on `/`). */
const ReturnTo = z.string().optional().meta({ description: 'Same-origin path to land on afterwards.' });
/**
 * What the IdP posts (SAML HTTP-POST binding), in the protocol's names. Not strict: the form is the IdP's, and a
 * field it adds must not refuse a sign-in.
 */
const AcsForm = z.object({
  SAMLResponse: z.string({ error: 'The form must carry a `SAMLResponse`.' }),
  RelayState: z.string().optional(),
});
/** What routes behind `RateLimitGuard` may answer. */
const RATE_LIMITED = { rate_limited: 'Too many attempts from this address; try again later.' } as const;

/** The buttons of the "switch account?", "continue as …?" and "link your account?" pages. */
const ChoiceForm = z.strictObject({ choice: z.enum(['switch', 'stay', 'link', 'cancel']) });

const FINISH_PATH = '/auth/saml/finish';

/**
 * What the ACS leaves for `/auth/saml/finish` (see `ssoPendingCookie`): a session the browser has yet to take, or a
 * sign-in waiting for the person to agree to link it to the existing account with their e-mail. `idpInitiatedVia`
 * (the connection's name) marks an IdP-initiated session, which the person confirms even in a signed-out browser.
 */
const PendingSchema = z.union([
  z.object({ refreshToken: z.string(), returnTo: z.string(), idpInitiatedVia: z.string().optional() }),
  z.object({
    linkToken: z.string(),
    email: z.string(),
    providers: z.array(z.string()),
    returnTo: z.string(),
  }),
]);
type Pending = z.infer<typeof PendingSchema>;

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
  @Header('Content-Type', 'application/samlmetadata+xml')
  @Endpoint({
    summary: "Tessera's SAML service-provider metadata for this connection, to import into the IdP.",
    params: ConnectionPath,
    produces: 'application/samlmetadata+xml',
    response: z.string(),
    status: 200,
    errors: { not_found: 'No such connection.' },
  })
  async metadata(@Param('connectionId') connectionId: string): Promise<string> {
    const { xml } = await this.rpc.request('tessera.identity.sso.metadata', { connectionId });
    return xml;
  }

  @Get('saml/:connectionId/login')
  @UseGuards(RateLimitGuard)
  @Endpoint({
    summary: 'Starts SP-initiated SAML sign-in: a redirect to the IdP, carrying a SAML AuthnRequest.',
    description:
      'Only for an enabled connection whose organization owns a verified domain. Sets a cookie binding the ' +
      'request to this browser: the ACS accepts the answer only from it. A navigation from another site ' +
      '(`Sec-Fetch-Site` `cross-site` or `same-site`) starts nothing: it gets (200) a page whose link starts ' +
      'the sign-in.',
    params: ConnectionPath,
    query: z.strictObject({ return_to: ReturnTo }),
    response: null,
    status: 302,
    errors: {
      ...RATE_LIMITED,
      not_found: 'No such enabled connection, or its organization has no verified domain.',
    },
  })
  async login(
    @Param('connectionId') connectionId: string,
    @Query('return_to') returnTo: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
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
  @ApiConsumes('application/x-www-form-urlencoded')
  @Endpoint({
    summary: 'Assertion Consumer Service: the IdP posts the SAML response here (HTTP-POST binding).',
    description:
      'Success: redirect to `/auth/saml/finish`, which gives the browser its session and goes on to where sign-in ' +
      'started (`/` for IdP-initiated). An SP-initiated response must come from the browser that started it. A ' +
      'refused response redirects to `/signin?error=signin_failed`; the reason is only in the server log and the ' +
      '`sso.failed` event. A "test connection" round trip answers (200) a page of the attributes received.',
    params: ConnectionPath,
    body: AcsForm,
    response: null,
    status: 303,
    errors: RATE_LIMITED,
  })
  async acs(
    @Param('connectionId') connectionId: string,
    @Body() body: z.output<typeof AcsForm>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
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
      if (!(error instanceof TesseraError && SIGN_IN_REFUSALS.has(error.code))) throw error;
      response.redirect(303, `/signin?${new URLSearchParams({ error: error.code })}`);
    }
  }

  @Get('saml/finish')
  @Endpoint({
    summary: 'After the ACS: gives the browser the session SSO opened, or first asks the person (see below).',
    description:
      'Signed in as the same user, or as nobody after an SP-initiated sign-in: session cookie and redirect to ' +
      '`return_to` (`/signin?error=invalid_state` with nothing pending). Signed in as another user: a page (200) ' +
      'asking whether to switch. Signed in as nobody after an IdP-initiated sign-in: a page asking whether to ' +
      'continue as that user; before linking to an existing account, a page asking whether to link. Nothing ' +
      'changes until the person answers.',
    response: null,
    status: 303,
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
  @ApiConsumes('application/x-www-form-urlencoded')
  @Endpoint({
    summary:
      'The answer to "switch account?" (`choice=switch` or `stay`), "continue as …?" (`switch` or `cancel`) or ' +
      '"link your account?" (`link` or `cancel`).',
    description:
      'Redirects to `return_to` (switch), `/` (stay), `/auth/saml/finish` (link) or `/signin` (cancel).',
    body: ChoiceForm,
    response: null,
    status: 303,
    errors: { cross_site_request: 'Posted from another site.' },
  })
  async choose(
    @Req() request: Request,
    @Body() body: z.output<typeof ChoiceForm>,
    @Res() response: Response,
  ): Promise<void> {
    this.browser.assertSameOrigin(request);
    const pending = pendingOf(request);
    if (!pending) return response.redirect(303, '/signin?error=invalid_state');
    if ('linkToken' in pending) {
      if (body.choice !== 'link') return this.endPending(response, '/signin');
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
        if (!(error instanceof TesseraError && SIGN_IN_REFUSALS.has(error.code))) throw error;
        return this.endPending(response, `/signin?${new URLSearchParams({ error: error.code })}`);
      }
    }
    if (body.choice === 'switch') {
      response.cookie(SESSION_COOKIE, pending.refreshToken, sessionCookie(this.config));
      return this.endPending(response, safeReturnTo(pending.returnTo));
    }
    // Staying or cancelling: the session SSO opened is ended, so it cannot be taken later.
    const next = await this.browser.resolve(pending.refreshToken);
    if (next) await this.rpc.request('tessera.identity.session.revoke', { sessionId: next.sessionId });
    this.endPending(response, body.choice === 'cancel' ? '/signin' : '/');
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
  @Endpoint({
    summary:
      "The sign-in page's SSO form: redirects to the e-mail's organization SSO, or back to the sign-in page.",
    description:
      'To the SSO login, or to `/signin?error=not_found` when the e-mail has none. Submitted from a Tessera page ' +
      '(`Sec-Fetch-Site: same-origin`), it answers (200) a page that goes on to the SSO login by `Refresh` ' +
      "instead: a redirect would end at the IdP's origin, which the page's CSP `form-action 'self'` refuses.",
    query: z.strictObject({ email: EmailAddressSchema, return_to: ReturnTo }),
    response: null,
    status: 302,
    errors: RATE_LIMITED,
  })
  async ssoByEmail(
    @Query('email') email: string,
    @Query('return_to') returnTo: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const query = new URLSearchParams({ return_to: safeReturnTo(returnTo) });
    const { loginUrl } = await this.rpc.request('tessera.identity.sso.discover', { email });
    if (!loginUrl) return response.redirect(302, `/signin?error=not_found&${query}`);
    const loginPath = `${new URL(loginUrl).pathname}?${query}`;
    // Only our own page's form gets the refresh: a navigation from another site must reach the login URL marked
    // cross-site, as a redirect keeps it, so that the login route asks first (decision 013); a refresh from our
    // page would make it same-origin.
    if (request.header('sec-fetch-site') !== 'same-origin') return response.redirect(302, loginPath);
    response.status(200).set('Refresh', `0; url=${loginPath}`).type('html').send(ssoOnwardPage(loginPath));
  }

  @Post('sso/discover')
  @UseGuards(RateLimitGuard)
  @Endpoint({
    summary:
      "Whether an e-mail signs in with its organization's SSO, and where (the sign-in page and CLI ask this).",
    description:
      "Answers `{ loginUrl }` when the e-mail's domain is verified by an organization with SSO, else `{ loginUrl: null }`.",
    body: SsoDiscoverRequestSchema,
    response: SsoDiscoverReplySchema,
    status: 200,
    errors: RATE_LIMITED,
  })
  discover(
    @Body() body: z.output<typeof SsoDiscoverRequestSchema>,
  ): Promise<z.output<typeof SsoDiscoverReplySchema>> {
    return this.rpc.request('tessera.identity.sso.discover', body);
  }
}

function pendingOf(request: Request): Pending | undefined {
  const raw: unknown = request.signedCookies?.[SSO_PENDING_COOKIE];
  if (typeof raw !== 'string') return undefined;
  try {
    const pending = PendingSchema.safeParse(JSON.parse(raw));
    return pending.success ? pending.data : undefined;
  } catch {
    return undefined;
  }
}
