import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const FILE = resolve(process.cwd(), '.tessera', 'development-secret-key');

/**
 * `npm start` works without configuration: when `TESSERA_SECRET_KEY` is not set it uses a random secret kept in
 * `.tessera/` (git-ignored, owner-only), so sessions and the stored signing key survive restarts. Production sets
 * its own secret; this file is never read when the variable is set.
 */
export function developmentSecretKey(): string {
  if (existsSync(FILE)) return readFileSync(FILE, 'utf8').trim();
  mkdirSync(resolve(FILE, '..'), { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(FILE, `${secret}\n`, { mode: 0o600 });
  return secret;
}
