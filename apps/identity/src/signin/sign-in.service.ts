import { Inject, Injectable } from '@nestjs/common';
import {
  RpcClient,
  SignInCompleteReply,
  SignInCompleteRequest,
  SignInStartReply,
  SignInMethod,
  SignInStartRequest,
  TesseraError,
} from '@tessera/contracts';
import { LOGGER, Logger, randomToken, sha256 } from '@tessera/runtime';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { IdentityErrors } from '../identity.errors';
import { SessionsService } from '../sessions/sessions.service';
import { UsersService } from '../users/users.service';
import { SignInProviderClient } from './providers/sign-in-provider';
import { SignInPolicy } from './sign-in-policy';
import { SIGN_IN_PROVIDERS, SignInProviders } from './sign-in-providers';
import { SignInAttempt } from './signin-attempt.entity';

const ATTEMPT_TTL_MS = 10 * 60_000;

/**
 * Browser sign-in with an external provider, in two steps around the provider's pages. `start` records the
 * attempt (state, PKCE verifier, nonce) under the hash of its state; `complete` consumes it — once, for the
 * provider it was made for — so a replayed, forged or cross-provider callback finds nothing.
 */
@Injectable()
export class SignInService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly rpc: RpcClient,
    private readonly policy: SignInPolicy,
    @Inject(SIGN_IN_PROVIDERS) private readonly providers: SignInProviders,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async start(request: SignInStartRequest): Promise<SignInStartReply> {
    const provider = this.provider(request.provider);
    const state = randomToken(32);
    const codeVerifier = randomToken(32);
    const nonce = randomToken(16);
    await this.dataSource.getRepository(SignInAttempt).insert({
      stateHash: sha256(state),
      provider: request.provider,
      codeVerifier,
      nonce,
      returnTo: request.returnTo,
      linkUserId: request.linkUserId ?? null,
      expiresAt: new Date(Date.now() + ATTEMPT_TTL_MS),
    });
    const codeChallenge = createHash('sha256').update(codeVerifier).digest('base64url');
    const authorizationUrl = await this.guard(request.provider, () =>
      provider.authorizationUrl({ state, codeChallenge, nonce }),
    );
    return { authorizationUrl, state };
  }

  async complete({
    provider: providerName,
    params,
    client,
  }: SignInCompleteRequest): Promise<SignInCompleteReply> {
    const provider = this.provider(providerName);
    const attempt = await this.consume(providerName, params.state);
    const profile = await this.guard(providerName, () =>
      provider.profile(params, {
        codeVerifier: attempt.codeVerifier,
        nonce: attempt.nonce,
        state: params.state,
      }),
    );
    if (!profile.emailVerified) throw IdentityErrors.emailNotVerified(providerName);

    const method = providerName as SignInMethod;
    if (attempt.linkUserId) {
      const userId = attempt.linkUserId;
      // Linking adds a way in: the same rules as signing in that way.
      await this.dataSource.transaction(async (manager) => {
        await this.policy.assertAllowed(manager, { method, email: profile.email, userId });
        await this.users.link(manager, userId, providerName, profile);
      });
      return { userId, returnTo: attempt.returnTo, linked: true };
    }

    const user = await this.dataSource.transaction(async (manager) => {
      const user = await this.users.signInAs(manager, providerName, profile);
      await this.policy.assertAllowed(manager, { method, email: profile.email, userId: user.id });
      return user;
    });
    // Idempotent: a sign-in that failed here (teams down) creates the personal account on the next attempt.
    await this.rpc.request('tessera.teams.account.ensure-personal', {
      userId: user.id,
      name: user.name ?? user.email,
    });
    const { refreshToken } = await this.dataSource.transaction((manager) =>
      this.sessions.open(manager, user.id, client),
    );
    return { userId: user.id, returnTo: attempt.returnTo, refreshToken, linked: false };
  }

  private provider(name: string): SignInProviderClient {
    const provider = this.providers[name as keyof SignInProviders];
    if (!provider) throw IdentityErrors.providerNotConfigured(name);
    return provider;
  }

  /** Deletes and returns the attempt; missing, expired, already used or made for another provider: refused. */
  private async consume(provider: string, state: string | undefined): Promise<SignInAttempt> {
    if (!state) throw IdentityErrors.invalidState();
    const rows = (await this.dataSource.query(
      `DELETE FROM identity.signin_attempts WHERE state_hash = $1 AND provider = $2 AND expires_at > now()
       RETURNING code_verifier, nonce, return_to, link_user_id`,
      [sha256(state), provider],
    )) as [
      { code_verifier: string; nonce: string | null; return_to: string; link_user_id: string | null }[],
      number,
    ];
    const row = rows[0][0];
    if (!row) throw IdentityErrors.invalidState();
    return Object.assign(new SignInAttempt(), {
      codeVerifier: row.code_verifier,
      nonce: row.nonce,
      returnTo: row.return_to,
      linkUserId: row.link_user_id,
    });
  }

  /** A provider that fails in an unexpected way (unreachable, malformed answer) is a failed sign-in, logged. */
  private async guard<T>(provider: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof TesseraError) throw error;
      this.logger.warn({ provider, err: error }, 'sign-in provider failed');
      throw IdentityErrors.signInFailed(provider);
    }
  }
}
