import { homedir } from 'node:os';
import { join } from 'node:path';

export const DEFAULT_HOST = 'http://localhost:3000';
export const DEFAULT_PROFILE = 'default';

/** What the SDK and the CLI take from the environment (see the README's "Using the CLI" for the table). */
export interface ClientEnvironment {
  /** `TESSERA_KEY`: an API key, used before a saved login. */
  key?: string;
  /** `TESSERA_FORCE_AUTH_BY_USER=1`: use the saved login even when a key is set. */
  forceAuthByUser: boolean;
  /** `TESSERA_HOME`: where profiles and saved logins live (default `~/.tessera`). */
  home: string;
  /** `TESSERA_HOST`: the API's address, over the profile's. */
  host?: string;
  /** `TESSERA_PROFILE`: the profile to use, over the one chosen with `profile use`. */
  profile?: string;
}

export function readClientEnvironment(env: Record<string, string | undefined>): ClientEnvironment {
  const nonEmpty = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);
  return {
    key: nonEmpty(env.TESSERA_KEY),
    forceAuthByUser: ['1', 'true', 'yes'].includes((env.TESSERA_FORCE_AUTH_BY_USER ?? '').toLowerCase()),
    home: nonEmpty(env.TESSERA_HOME) ?? join(homedir(), '.tessera'),
    host: nonEmpty(env.TESSERA_HOST),
    profile: nonEmpty(env.TESSERA_PROFILE),
  };
}
