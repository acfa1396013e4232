import type { AccountView } from '@tessera/contracts';
import {
  ActiveProfile,
  ClientEnvironment,
  Credential,
  ResolvedClient,
  TesseraClient,
  TesseraHome,
  UnknownTeamError,
  activeProfile,
  findAccount,
  resolveClient,
} from '@tessera/client';
import { Output } from './output';
import { UsageError } from './errors';

/** Options every command takes (declared once, on the program). */
export interface GlobalOptions {
  profile?: string;
  team?: string;
  json?: boolean;
}

/** What a command works with, built on demand from the environment and the global options. */
export class CliContext {
  readonly home: TesseraHome;
  readonly output: Output;
  private profilePromise?: Promise<ActiveProfile>;
  private resolvedPromise?: Promise<ResolvedClient>;

  constructor(
    readonly env: ClientEnvironment,
    readonly options: GlobalOptions,
  ) {
    this.home = new TesseraHome(env.home);
    this.output = new Output(options.json === true);
  }

  profile(): Promise<ActiveProfile> {
    return (this.profilePromise ??= activeProfile(this.env, this.home, this.options.profile));
  }

  async credential(): Promise<Credential> {
    return (await this.resolved()).credential;
  }

  /** A client acting for `--team`, else (for a signed-in person) the team chosen with `teams set`. */
  async client(): Promise<TesseraClient> {
    return (await this.resolved()).client;
  }

  /** The account commands act for: `--team`, `teams set`, else the credential's own (a key's, the login's). */
  async accountId(): Promise<string> {
    return (await this.client()).accountId();
  }

  /** An account of the signed-in person, by id, by name, or `personal`. */
  findAccount(client: TesseraClient, reference: string): Promise<AccountView> {
    return findAccount(client, reference).catch(asUsageError);
  }

  /** Built as `createTesseraClient()` builds a script's client, so the CLI and scripts act alike. */
  private resolved(): Promise<ResolvedClient> {
    return (this.resolvedPromise ??= resolveClient(this.env, this.home, this.options).catch(asUsageError));
  }
}

/** A team that cannot be found is a mistake on the command line: exit code 2. */
function asUsageError(error: unknown): never {
  if (error instanceof UnknownTeamError) throw new UsageError(error.message);
  throw error;
}
