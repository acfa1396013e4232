import { ClientEnvironment } from './environment';
import { Profile, TesseraHome } from './store';

export interface ActiveProfile {
  name: string;
  profile: Profile;
  /** `TESSERA_HOST`, else the profile's host. */
  host: string;
}

/** The profile in use: `--profile`, else `TESSERA_PROFILE`, else the one chosen with `profile use`. */
export async function activeProfile(
  env: ClientEnvironment,
  home: TesseraHome,
  override?: string,
): Promise<ActiveProfile> {
  const file = await home.profiles();
  const name = override ?? env.profile ?? file.current;
  const profile = file.profiles[name];
  if (!profile) {
    throw new UnknownProfileError(
      `There is no profile "${name}" (profiles: ${Object.keys(file.profiles).join(', ')}).`,
    );
  }
  return { name, profile, host: env.host ?? profile.host };
}

export class UnknownProfileError extends Error {
  override readonly name = 'UnknownProfileError';
}
