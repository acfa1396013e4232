import { Body, Controller, Get, Inject, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { GatewayConfig } from '@tessera/config';
import { RpcClient, SIGN_IN_PROVIDERS, SignInProvider, TesseraError } from '@tessera/contracts';
import { CONFIG } from '@tessera/runtime';
import { Request, Response } from 'express';
import { ActiveAccountService } from '../auth/active-account.service';
import { BrowserSessionService } from '../auth/browser-session.service';
import { RateLimitGuard } from '../auth/rate-limit.guard';
import { safeReturnTo } from '../auth/return-to';
import { SsoHint } from '../auth/sso-hint';
import { AttemptLimits } from '../limits/attempt-limits';
import { deviceApprovalPage, deviceCodeEntryPage } from './device.page';
import { ERROR_STATUS } from '../http/error-status';
import { acceptInvitationPage, invitationAcceptedPage } from './invitation.page';
import { signInPage } from './sign-in.page';

/** The server-rendered pages: choose a sign-in provider; accept an invitation; approve a CLI's device login. */
@ApiExcludeController()
@Controller()
export class PagesController {
  private readonly providers: SignInProvider[];
  private readonly ssoHint: SsoHint;

  constructor(
    private readonly rpc: RpcClient,
    private readonly browser: BrowserSessionService,
    private readonly accounts: ActiveAccountService,
    private readonly attempts: AttemptLimits,
    @Inject(CONFIG) config: GatewayConfig,
  ) {
    const configured: Record<SignInProvider, boolean> = {
      github: Boolean(config.githubClientId && config.githubClientSecret),
      google: Boolean(config.googleClientId && config.googleClientSecret),
    };
    this.providers = SIGN_IN_PROVIDERS.filter((provider) => configured[provider]);
    this.ssoHint = new SsoHint(config);
  }

  @Get('signin')
  signIn(
    @Query('return_to') returnTo: unknown,
    @Query('error') error: unknown,
    @Query('sso') sso: unknown,
    @Res() response: Response,
  ): void {
    const page = signInPage({
      providers: this.providers,
      returnTo: safeReturnTo(returnTo),
      error: typeof error === 'string' ? error : undefined,
      // Only a hint the gateway signed for this refusal: an unsigned `sso` is any stranger's IdP (decision 013).
      ssoConnectionId: this.ssoHint.verify(error, sso),
    });
    response.type('html').send(page);
  }

  /** Where the invitation e-mail's link lands: sign in first if needed, then one click to accept. */
  @Get('invite/accept')
  async invitation(@Req() request: Request, @Res() response: Response): Promise<void> {
    const token = typeof request.query.token === 'string' ? request.query.token : '';
    if (!(await this.browser.of(request))) {
      const here = `/invite/accept?${new URLSearchParams({ token })}`;
      return response.redirect(302, `/signin?${new URLSearchParams({ return_to: here })}`);
    }
    response.type('html').send(acceptInvitationPage(token));
  }

  @Post('invite/accept')
  @UseGuards(RateLimitGuard)
  async acceptInvitation(
    @Req() request: Request,
    @Body() body: Record<string, unknown>,
    @Res() response: Response,
  ) {
    this.browser.assertSameOrigin(request);
    const session = await this.browser.of(request);
    if (!session) throw new TesseraError('unauthenticated', 'Sign in in this browser first.');
    await this.attempts.attempt(session.userId);
    const token = typeof body?.token === 'string' ? body.token : '';
    try {
      const team = await this.rpc.request('tessera.teams.invitation.accept', {
        token,
        userId: session.userId,
      });
      response.status(200).type('html').send(invitationAcceptedPage(team.name));
    } catch (error) {
      if (!(error instanceof TesseraError) || ERROR_STATUS[error.code] >= 500) throw error;
      response.status(ERROR_STATUS[error.code]).type('html').send(acceptInvitationPage(token, error.message));
    }
  }

  @Get('device')
  @UseGuards(RateLimitGuard)
  async device(@Req() request: Request, @Res() response: Response): Promise<void> {
    const userCode = typeof request.query.user_code === 'string' ? request.query.user_code : '';
    const session = await this.browser.of(request);
    if (!session) {
      const here = `/device${userCode ? `?${new URLSearchParams({ user_code: userCode })}` : ''}`;
      return response.redirect(302, `/signin?${new URLSearchParams({ return_to: here })}`);
    }
    if (!userCode) return void response.type('html').send(deviceCodeEntryPage());
    await this.attempts.attempt(session.userId);
    try {
      const grant = await this.rpc.request('tessera.identity.device.lookup', { userCode });
      if (grant.status !== 'pending') {
        return void response
          .type('html')
          .send(deviceCodeEntryPage('This code was already used. Start again.'));
      }
      const accounts = await this.accounts.list(session.userId);
      response.type('html').send(deviceApprovalPage(grant, accounts));
    } catch (error) {
      if (!(error instanceof TesseraError && error.code === 'invalid_user_code')) throw error;
      response.status(404).type('html').send(deviceCodeEntryPage(error.message));
    }
  }
}
