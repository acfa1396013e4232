import { randomBytes } from 'node:crypto';
import { readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * An e-mail the development mail catcher of a first run took instead of delivering it: one JSON file per message
 * in `TESSERA_DEVELOPMENT_MAIL_DIR`, written by the catcher (in `npm start`) and read by the gateway's `/dev/mail`.
 */
export const CaughtMail = z.object({
  from: z.string(),
  to: z.array(z.string()),
  subject: z.string(),
  receivedAt: z.iso.datetime(),
  text: z.string(),
});
export type CaughtMail = z.infer<typeof CaughtMail>;

const SUFFIX = '.json';

/** Writes to a temporary name first, so a reader never sees half a message. */
export async function keepCaughtMail(directory: string, mail: CaughtMail): Promise<void> {
  const name = `${Date.parse(mail.receivedAt)}-${randomBytes(6).toString('hex')}`;
  const partial = join(directory, `${name}.partial`);
  await writeFile(partial, JSON.stringify(CaughtMail.parse(mail)), { mode: 0o600 });
  await rename(partial, join(directory, `${name}${SUFFIX}`));
}

/** Every message caught so far, newest first; a file that is not a caught message is skipped. */
export async function caughtMail(directory: string): Promise<CaughtMail[]> {
  const names = (await readdir(directory)).filter((name) => name.endsWith(SUFFIX));
  const messages: CaughtMail[] = [];
  for (const name of names) {
    try {
      messages.push(CaughtMail.parse(JSON.parse(await readFile(join(directory, name), 'utf8'))));
    } catch {
      // not one of ours, or removed meanwhile
    }
  }
  return messages.sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
}
