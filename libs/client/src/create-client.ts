import { accountToActFor } from './accounts';
import { TesseraClient } from './client';
import { Credential, chooseCredential } from './credentials';
import { ClientEnvironment, readClientEnvironment } from './environment';
import { ActiveProfile, activeProfile } from './profiles';
import { TesseraHome } from './store';

/** What a script may set instead of the environment and the files of `tessera auth login` (tests, special cases). */
export interface CreateTesseraClientOptions {
  /** The environment variables to read (`TESSERA_KEY`, `TESSERA_PROFILE`, …); default: this process's. */
  env?: Record<string, string | undefined>;
  /** The folder of profiles and logins, over `TESSERA_HOME` (default `~/.tessera`). */
  home?: string;
  /** The profile, over `TESSERA_PROFILE` and the one chosen with `tessera profile use`. */
  profile?: string;
  /** The account to act for (id, name or `personal`), over the profile's team; with any credential. */
  team?: string;
}

/** A client and what it was built from, for callers that show or reuse those (the CLI's `auth status`). */
export interface ResolvedClient {
  client: TesseraClient;
  profile: ActiveProfile;
  credential: Credential;
  home: TesseraHome;
}

/**
 * A client with no wiring: the host, credential and team that `tessera` itself would use on this machine. In order:
 * the profile (`profile` option, `TESSERA_PROFILE`, `tessera profile use`), its host (or `TESSERA_HOST`), the
 * credential (`TESSERA_KEY`, the profile's key, the saved login refreshed as needed; `TESSERA_FORCE_AUTH_BY_USER=1`
 * skips keys), then the account (`team` option, else the profile's team for a login).
 *
 *     const tessera = await createTesseraClient();
 *     const keys = await tessera.keys(await tessera.accountId());
 */
export async function createTesseraClient(options: CreateTesseraClientOptions = {}): Promise<TesseraClient> {
  const environment = readClientEnvironment(options.env ?? process.env);
  const home = new TesseraHome(options.home ?? environment.home);
  return (await resolveClient(environment, home, options)).client;
}

/** The steps of `createTesseraClient` for a caller that has read the environment already (the CLI). */
export async function resolveClient(
  environment: ClientEnvironment,
  home: TesseraHome,
  choice: Pick<CreateTesseraClientOptions, 'profile' | 'team'> = {},
): Promise<ResolvedClient> {
  const profile = await activeProfile(environment, home, choice.profile);
  const { name, host } = profile;
  const credential = await chooseCredential(environment, home, name, profile.profile, host);
  const account = await accountToActFor(host, credential, profile.profile, choice.team);
  return { client: new TesseraClient({ host, credential, account }), profile, credential, home };
}
