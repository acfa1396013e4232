import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_HOST, DEFAULT_PROFILE } from './environment';
import { withLockFile } from './lock-file';

export interface Profile {
  host: string;
  /** An API key that this profile uses instead of a saved login. */
  key?: string;
  /** The account commands act for, chosen with `teams set` (absent: the one picked at login). */
  team?: string;
}

export interface ProfilesFile {
  current: string;
  profiles: Record<string, Profile>;
}

/** A login saved by the device flow: secrets, so only in `auth.json` (mode 0600). */
export interface SavedLogin {
  host: string;
  accessToken: string;
  refreshToken: string;
  /** When the access token expires (ISO). */
  expiresAt: string;
}

const PRIVATE_FILE = 0o600;
const PRIVATE_DIR = 0o700;

/**
 * The CLI's folder (`~/.tessera`, or `TESSERA_HOME`): `config.json` holds profiles, `auth.json` holds logins by
 * profile. Both are written whole (temporary file, then rename) with mode 0600, so a crash never leaves half a file
 * and other users of the machine cannot read keys or tokens.
 */
export class TesseraHome {
  constructor(readonly dir: string) {}

  get authFile(): string {
    return join(this.dir, 'auth.json');
  }

  get configFile(): string {
    return join(this.dir, 'config.json');
  }

  async profiles(): Promise<ProfilesFile> {
    const stored = await this.read<ProfilesFile>(this.configFile);
    const profiles = { [DEFAULT_PROFILE]: { host: DEFAULT_HOST }, ...stored?.profiles };
    return { current: stored?.current ?? DEFAULT_PROFILE, profiles };
  }

  saveProfiles(file: ProfilesFile): Promise<void> {
    return this.write(this.configFile, file);
  }

  async updateProfile(name: string, change: (profile: Profile) => Profile): Promise<Profile> {
    const file = await this.profiles();
    const profile = change(file.profiles[name] ?? { host: DEFAULT_HOST });
    await this.saveProfiles({ ...file, profiles: { ...file.profiles, [name]: profile } });
    return profile;
  }

  async login(profile: string): Promise<SavedLogin | undefined> {
    return (await this.read<Record<string, SavedLogin>>(this.authFile))?.[profile];
  }

  async saveLogin(profile: string, login: SavedLogin | undefined): Promise<void> {
    const logins = (await this.read<Record<string, SavedLogin>>(this.authFile)) ?? {};
    if (login) logins[profile] = login;
    else delete logins[profile];
    await this.write(this.authFile, logins);
  }

  /**
   * Runs `work` while holding `auth.json.lock`, so that two CLI processes never refresh with the same refresh token
   * (presenting a rotated token again would revoke the whole session).
   */
  async withAuthLock<T>(work: () => Promise<T>): Promise<T> {
    await mkdir(this.dir, { recursive: true, mode: PRIVATE_DIR });
    return withLockFile(`${this.authFile}.lock`, work);
  }

  private async read<T>(file: string): Promise<T | undefined> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new Error(`${file} is not valid JSON: fix it or delete it.`);
    }
  }

  private async write(file: string, value: unknown): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: PRIVATE_DIR });
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: PRIVATE_FILE });
    await rename(temporary, file);
  }
}
