import { Body, Controller, Get, Inject, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { GatewayConfig } from '@tessera/config';
import { RpcClient, SignInProvider, TesseraError } from '@tessera/contracts';
import { CONFIG } from '@tessera/runtime';
import { Request, Response } from 'express';
import { z } from 'zod';
import { Endpoint } from '../http/endpoint';
import { ActiveAccountService } from '../auth/active-account.service';
import { BrowserSessionService } from '../auth/browser-session.service';
import { RateLimitGuard } from '../auth/rate-limit.guard';
import { safeReturnTo } from '../auth/return-to';
import { signInMethods } from '../auth/sign-in-providers';
import { SsoHint } from '../auth/sso-hint';
import { AttemptLimits } from '../limits/attempt-limits';
import { deviceApprovalPage, deviceCodeEntryPage } from './device.page';
import { ERROR_STATUS } from '../http/error-status';
import { acceptInvitationPage, invitationAcceptedPage } from './invitation.page';
import { signInPage } from './sign-in.page';

/** Every page answers HTML; a person who must sign in first is redirected to the sign-in page (302). */
const PAGE = { response: z.string(), produces: 'text/html', status: 200 } as const;
/*
 * Pages take `z.object` queries, not strict ones: people arrive through links others wrote (e-mails, trackers'
 * added parameters), and a page must not refuse them for a parameter it does not read.
 */
const SignInQuery = z.object({
  return_to: z.string().optional(),
  error: z.string().optional(),
  sso: z.string().optional(),
});
// No length rules here: a page answers a wrong code or link with itself and the reason (the service's check),
// never with a JSON error.
const InvitationForm = z.object({ token: z.string().default('') });
const DeviceQuery = z.object({ user_code: z.string().optional() });

/** The server-rendered pages: choose a sign-in provider; accept an invitation; approve a CLI's device login. */
@ApiExcludeController()
@Controller()
export class PagesController {
  private readonly providers: SignInProvider[];
  private readonly developmentSignIn: boolean;
  private readonly ssoHint: SsoHint;

  constructor(
    private readonly rpc: RpcClient,
    private readonly browser: BrowserSessionService,
    private readonly accounts: ActiveAccountService,
    private readonly attempts: AttemptLimits,
    @Inject(CONFIG) config: GatewayConfig,
  ) {
    this.providers = signInMethods(config).map((method) => method.provider);
    this.developmentSignIn = config.developmentSignIn === 'on';
    this.ssoHint = new SsoHint(config);
  }

  @Get('signin')
  @Endpoint({ ...PAGE, summary: 'The sign-in page.', query: SignInQuery })
  signIn(
    @Query() query: z.output<typeof SignInQuery>,
    @Res({ passthrough: true }) response: Response,
  ): string {
    return asPage(
      response,
      signInPage({
        providers: this.providers,
        developmentSignIn: this.developmentSignIn,
        returnTo: safeReturnTo(query.return_to),
        error: query.error,
        // Only a hint the gateway signed for this refusal: an unsigned `sso` is any stranger's IdP (decision 013).
        ssoConnectionId: this.ssoHint.verify(query.error, query.sso),
      }),
    );
  }

  /** Where the invitation e-mail's link lands: sign in first if needed, then one click to accept. */
  @Get('invite/accept')
  @Endpoint({ ...PAGE, summary: 'Accepting an invitation, one click away.', query: InvitationForm })
  async invitation(
    @Req() request: Request,
    @Query() { token }: z.output<typeof InvitationForm>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    if (!(await this.browser.of(request)))
      return signInFirst(response, `/invite/accept?${new URLSearchParams({ token })}`);
    return asPage(response, acceptInvitationPage(token));
  }

  @Post('invite/accept')
  @UseGuards(RateLimitGuard)
  @Endpoint({ ...PAGE, summary: 'Accepts an invitation.', body: InvitationForm })
  async acceptInvitation(
    @Req() request: Request,
    @Body() { token }: z.output<typeof InvitationForm>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    this.browser.assertSameOrigin(request);
    const session = await this.browser.of(request);
    if (!session) throw new TesseraError('unauthenticated', 'Sign in in this browser first.');
    await this.attempts.attempt(session.userId);
    try {
      const team = await this.rpc.request('tessera.teams.invitation.accept', {
        token,
        userId: session.userId,
      });
      return asPage(response, invitationAcceptedPage(team));
    } catch (error) {
      if (!(error instanceof TesseraError) || ERROR_STATUS[error.code] >= 500) throw error;
      return asPage(response.status(ERROR_STATUS[error.code]), acceptInvitationPage(token, error.message));
    }
  }

  @Get('device')
  @UseGuards(RateLimitGuard)
  @Endpoint({ ...PAGE, summary: "Approving a CLI's device login.", query: DeviceQuery })
  async device(
    @Req() request: Request,
    @Query() { user_code: userCode }: z.output<typeof DeviceQuery>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const session = await this.browser.of(request);
    if (!session)
      return signInFirst(
        response,
        `/device${userCode ? `?${new URLSearchParams({ user_code: userCode })}` : ''}`,
      );
    if (!userCode) return asPage(response, deviceCodeEntryPage());
    await this.attempts.attempt(session.userId);
    try {
      const grant = await this.rpc.request('tessera.identity.device.lookup', { userCode });
      if (grant.status !== 'pending')
        return asPage(response, deviceCodeEntryPage('This code was already used. Start again.'));
      const accounts = await this.accounts.list(session.userId);
      return asPage(response, deviceApprovalPage(grant, accounts));
    } catch (error) {
      if (!(error instanceof TesseraError && error.code === 'invalid_user_code')) throw error;
      return asPage(response.status(404), deviceCodeEntryPage(error.message));
    }
  }
}

/**
 * Marks the answer as HTML once the page is ready, not before: an error thrown on the way must still be read as the
 * JSON envelope it is.
 */
function asPage(response: Response, page: string): string {
  response.type('html');
  return page;
}

/** A page for someone not signed in in this browser: the sign-in page, which comes back here afterwards. */
function signInFirst(response: Response, returnTo: string): string {
  response.status(302).location(`/signin?${new URLSearchParams({ return_to: returnTo })}`);
  return '';
}
