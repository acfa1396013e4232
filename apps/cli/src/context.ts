import type { AccountView } from '@tessera/contracts';
import {
  ActiveProfile,
  ClientEnvironment,
  Credential,
  TesseraClient,
  TesseraHome,
  activeProfile,
  chooseCredential,
} from '@tessera/client';
import { isUuid } from '@tessera/contracts';
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
  private credentialPromise?: Promise<Credential>;
  private clientPromise?: Promise<TesseraClient>;

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

  credential(): Promise<Credential> {
    return (this.credentialPromise ??= this.profile().then(({ name, profile, host }) =>
      chooseCredential(this.env, this.home, name, profile, host),
    ));
  }

  /** A client acting for `--team`, else (for a signed-in person) the team chosen with `teams set`. */
  client(): Promise<TesseraClient> {
    return (this.clientPromise ??= (async () => {
      const [{ host, profile }, credential] = await Promise.all([this.profile(), this.credential()]);
      const base = new TesseraClient({ host, credential });
      const chosen = this.options.team ?? (credential.type === 'bearer' ? profile.team : undefined);
      if (chosen === undefined) return base;
      const account = isUuid(chosen) ? chosen : (await this.findAccount(base, chosen)).id;
      return new TesseraClient({ host, credential, account });
    })());
  }

  /** The account commands act for: `--team`, `teams set`, else the credential's own (a key's, the login's). */
  async accountId(): Promise<string> {
    const client = await this.client();
    return client.options.account ?? (await client.principal()).account.id;
  }

  /** An account of the signed-in person, by id, by name, or `personal`. */
  async findAccount(client: TesseraClient, reference: string): Promise<AccountView> {
    if ((await this.credential()).type === 'key')
      throw new UsageError('With an API key, name the team by its id: a key cannot list teams.');
    const accounts = await client.accounts();
    const matches = accounts.filter((account) =>
      reference === 'personal'
        ? account.kind === 'personal'
        : account.id === reference || account.name.toLowerCase() === reference.toLowerCase(),
    );
    if (matches.length === 1) return matches[0];
    if (matches.length === 0)
      throw new UsageError(`You have no team "${reference}": "tessera teams list" shows yours.`);
    throw new UsageError(
      `Several teams are named "${reference}": use an id (${matches.map((team) => team.id).join(', ')}).`,
    );
  }
}
