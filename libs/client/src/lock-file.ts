import { randomBytes } from 'node:crypto';
import { FileHandle, link, open, readFile, rename, rm, stat, unlink } from 'node:fs/promises';

/*
 * The timings of the lock on `auth.json` (decision 007), which only make sense together. A holder refreshes with
 * a request that gives up after REFRESH_TIMEOUT_MS, so it releases the lock long before STALE_LOCK_MS, the age at
 * which a lock is taken for one left by a crash and taken over. A waiter waits LOCK_WAIT_MS: longer than a holder's
 * slowest refresh, and well below the stale age, so that a lock held for longer is reported in seconds.
 */
export const REFRESH_TIMEOUT_MS = 10_000;
export const STALE_LOCK_MS = 60_000;
export const LOCK_WAIT_MS = 15_000;
const POLL_MS = 50;
const PRIVATE_FILE = 0o600;

/**
 * Runs `work` while holding the lock file `lock`: created exclusively and holding `<pid> <random hex>`, so that the
 * release removes it only while it is still this holder's. The Python client implements the same protocol
 * (`tessera_client/lock_file.py`); change both together.
 */
export async function withLockFile<T>(lock: string, work: () => Promise<T>): Promise<T> {
  const owner = await acquire(lock);
  try {
    return await work();
  } finally {
    await release(lock, owner);
  }
}

async function acquire(lock: string): Promise<string> {
  const owner = `${process.pid} ${randomBytes(16).toString('hex')}`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  while (!(await createExclusively(lock, owner))) {
    const age = await ageOf(lock);
    if (age === undefined) continue; // released since the attempt: try again at once
    if (age > STALE_LOCK_MS && (await takeOver(lock, owner))) continue;
    if (Date.now() > deadline)
      throw new Error(
        `${lock} is held by another tessera process. A lock left by a crash is taken over once it is ${STALE_LOCK_MS / 1000} s old.`,
      );
    await new Promise((done) => setTimeout(done, POLL_MS));
  }
  return owner;
}

async function createExclusively(lock: string, owner: string): Promise<boolean> {
  let file: FileHandle;
  try {
    file = await open(lock, 'wx', PRIVATE_FILE);
  } catch (error) {
    if (code(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    await file.writeFile(owner);
  } catch (error) {
    await file.close();
    await unlink(lock);
    throw error;
  }
  await file.close();
  return true;
}

/**
 * Removes a stale lock, one contender at a time: a contender judged the lock stale a moment ago, and meanwhile another
 * may have removed it and created a fresh one, so the judgement is made again under `<lock>.takeover` (a lock of its
 * own, held for a few system calls). The lock is then renamed to a name of this contender's: should its holder have
 * woken up and released it in between, and a fresh one taken its place, the rename moved that fresh one, which is
 * put back. Answers false when another contender is taking over, to be waited for.
 */
async function takeOver(lock: string, owner: string): Promise<boolean> {
  const guard = `${lock}.takeover`;
  if (!(await createExclusively(guard, owner))) {
    // A guard this old was left by a crash in the middle of a takeover.
    if (((await ageOf(guard)) ?? 0) <= STALE_LOCK_MS) return false;
    await rm(guard, { force: true });
    return true;
  }
  try {
    if (((await ageOf(lock)) ?? 0) > STALE_LOCK_MS) await removeStale(lock);
  } finally {
    await release(guard, owner);
  }
  return true;
}

async function removeStale(lock: string): Promise<void> {
  const aside = `${lock}.${process.pid}.${randomBytes(8).toString('hex')}.stale`;
  try {
    await rename(lock, aside);
  } catch (error) {
    if (code(error) === 'ENOENT') return;
    throw error;
  }
  try {
    if (((await ageOf(aside)) ?? 0) <= STALE_LOCK_MS)
      await link(aside, lock).catch((error: unknown) => {
        if (code(error) !== 'EEXIST') throw error;
      });
  } finally {
    await unlink(aside);
  }
}

async function release(lock: string, owner: string): Promise<void> {
  // A lock taken over by another process (this one was suspended past the stale age) is that process's now.
  if ((await holderOf(lock)) !== owner) return;
  await unlink(lock).catch((error: unknown) => {
    if (code(error) !== 'ENOENT') throw error;
  });
}

async function holderOf(lock: string): Promise<string | undefined> {
  try {
    return await readFile(lock, 'utf8');
  } catch (error) {
    if (code(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/** How long ago the lock was written (milliseconds), or undefined when there is none. */
async function ageOf(file: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(file)).mtimeMs;
  } catch (error) {
    if (code(error) === 'ENOENT') return undefined;
    throw error;
  }
}

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}
