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
import { ssoTestPage } from '../pages/sso-test.page';
import { clientInfo } from './browser-session.service';
import { SESSION_COOKIE, sessionCookie } from './cookies';
import { RateLimitGuard } from './rate-limit.guard';
import { safeReturnTo } from './return-to';

/** Refusals a person can act on go back to the sign-in page; outages and bugs stay errors. */
const SHOWN_ON_SIGN_IN_PAGE = new Set([
  'signin_failed',
  'forbidden',
  'not_found',
  'account_exists_with_different_provider',
  'identity_already_linked',
  'sso_required',
  'signin_method_not_allowed',
]);

const notFound = () => new TesseraError('not_found', 'The SSO connection was not found.');

/**
 * SAML single sign-on as the browser and the IdP see it: the SP metadata, the redirect to the IdP, and the
 * Assertion Consumer Service the IdP posts to. Every decision is identity's, asked over NATS.
 */
@ApiTags('auth')
@Controller('auth')
export class SamlController {
  constructor(
    private readonly rpc: RpcClient,
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
    summary:
      'Starts SP-initiated SAML sign-in (redirect to the IdP). `test=1`: the IT admin\'s "test connection".',
  })
  @ApiQuery({ name: 'return_to', required: false, description: 'Same-origin path to land on afterwards.' })
  @ApiQuery({ name: 'test', required: false, enum: ['1'] })
  @ApiResponse({ status: 302, description: 'To the IdP, carrying a SAML AuthnRequest.' })
  @ApiResponse({ status: 404, type: ErrorEnvelope, description: '`not_found`: no such enabled connection.' })
  async login(
    @Param('connectionId') connectionId: string,
    @Query('return_to') returnTo: unknown,
    @Query('test') test: unknown,
    @Res() response: Response,
  ): Promise<void> {
    if (!isUuid(connectionId)) throw notFound();
    const { redirectUrl } = await this.rpc.request('tessera.identity.sso.start', {
      connectionId,
      returnTo: safeReturnTo(returnTo),
      purpose: test === '1' ? 'test' : 'signin',
    });
    response.redirect(302, redirectUrl);
  }

  @Post('saml/:connectionId/acs')
  @UseGuards(RateLimitGuard)
  @ApiOperation({
    summary: 'Assertion Consumer Service: the IdP posts the SAML response here (HTTP-POST binding).',
    description:
      'Success: session cookie and redirect to where sign-in started (`/` for IdP-initiated). A refused response ' +
      'redirects to `/signin?error=signin_failed`; the reason is only in the server log and the `sso.failed` event.',
  })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ schema: { properties: { SAMLResponse: { type: 'string' }, RelayState: { type: 'string' } } } })
  @ApiResponse({ status: 303, description: 'To `return_to`, or to `/signin?error=<code>` when refused.' })
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
    try {
      const result = await this.rpc.request('tessera.identity.sso.complete', {
        connectionId,
        samlResponse: body.SAMLResponse,
        client: clientInfo(request),
      });
      if (result.purpose === 'test') {
        response.status(200).type('html').send(ssoTestPage(result));
        return;
      }
      response.cookie(SESSION_COOKIE, result.refreshToken, sessionCookie(this.config));
      response.redirect(303, safeReturnTo(result.returnTo));
    } catch (error) {
      if (!(error instanceof TesseraError && SHOWN_ON_SIGN_IN_PAGE.has(error.code))) throw error;
      response.redirect(303, `/signin?${new URLSearchParams({ error: error.code })}`);
    }
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
