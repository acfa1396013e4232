import { RpcClient } from '@tessera/contracts';
import { CommandTokenSigner, natsCredentials } from '@tessera/runtime';
import { GitHubStandIn, TestEnvironment, TestEnvironmentOptions } from '@tessera/testing';
import { NatsConnection, connect } from 'nats';
import { InProcessPlatform } from './in-process-platform';
import { TeamFixtures } from './teams';

/**
 * What most integration specs start with: the whole platform on a fresh test environment, GitHub sign-in wired to
 * a stand-in, a NATS connection of the test's own (to read events), an RPC client that calls the services as a
 * Tessera process does (its commands signed), and fixtures to make people and teams.
 */
export class GitHubPlatform {
  private constructor(
    readonly environment: TestEnvironment,
    readonly github: GitHubStandIn,
    readonly platform: InProcessPlatform,
    readonly nc: NatsConnection,
    readonly fixtures: TeamFixtures,
  ) {
    this.rpc = new RpcClient(nc, {
      timeoutMs: 5000,
      signer: new CommandTokenSigner([environment.secretKey]),
    });
  }

  readonly rpc: RpcClient;

  static async start(
    overrides: Record<string, string> = {},
    options: TestEnvironmentOptions = {},
  ): Promise<GitHubPlatform> {
    const [environment, github] = await Promise.all([
      TestEnvironment.start(options),
      GitHubStandIn.start({ clientId: 'gh-client', clientSecret: 'gh-secret' }),
    ]);
    const platform = await InProcessPlatform.start(environment, {
      TESSERA_GITHUB_URL: github.url,
      TESSERA_GITHUB_API_URL: github.apiUrl,
      TESSERA_GITHUB_CLIENT_ID: 'gh-client',
      TESSERA_GITHUB_CLIENT_SECRET: 'gh-secret',
      TESSERA_AUTH_RATE_LIMIT: '1000',
      ...overrides,
    });
    // Under NATS permissions the test reads events as the gateway does, with the gateway's rights.
    const nc = await connect({ servers: environment.nats.url, ...natsCredentials(platform.config) });
    const fixtures = new TeamFixtures(platform.http, github, nc, environment.secretKey);
    return new GitHubPlatform(environment, github, platform, nc, fixtures);
  }

  async stop(): Promise<void> {
    await this.nc.close();
    await this.platform.stop();
    await Promise.all([this.github.stop(), this.environment.stop()]);
  }
}
