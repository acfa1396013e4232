import { randomBytes } from 'node:crypto';
import { FileHandle, link, open, readFile, rename, unlink } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';

/*
 * The timings of the lock on `auth.json` (decision 007), which only make sense together. A holder refreshes with
 * a request that gives up after REFRESH_TIMEOUT_MS, so it releases the lock long before STALE_LOCK_MS, the age at
 * which a lock is taken for one left by a crash. Age is wall-clock time, which runs on while a laptop sleeps and the
 * holder's timeout does not, so a stale lock is taken over only once this waiter has also watched it, unchanged, for
 * TAKEOVER_WATCH_MS of monotonic time (which stops during sleep on Linux and Windows, like the holder's timeout):
 * longer than a refresh can still take after waking up. On macOS Node's monotonic clock counts sleep, so there this
 * watch does not cover a suspend (decision 007). A waiter waits LOCK_WAIT_MS: longer than that watch, and well below the stale age,
 * so that a lock held for longer is reported in seconds.
 */
export const REFRESH_TIMEOUT_MS = 10_000;
export const TAKEOVER_WATCH_MS = 12_000;
export const STALE_LOCK_MS = 60_000;
export const LOCK_WAIT_MS = 15_000;
const POLL_MS = 50;
const PRIVATE_FILE = 0o600;

/**
 * Runs `work` while holding the lock file `lock`: created exclusively and holding `<pid> <random hex>`, so that the
 * release removes it only while it is still this holder's. A process killed while holding it (Ctrl-C during a
 * refresh) leaves it behind on purpose: its refresh may have reached the API, and a lock released then would let the
 * next command present the used refresh token. The Python client implements the same protocol
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
  const deadline = performance.now() + LOCK_WAIT_MS;
  let watched: { identity: string; since: number } | undefined;
  while (!(await createExclusively(lock, owner))) {
    const seen = await look(lock);
    if (seen === undefined) continue; // released since the attempt: try again at once
    if (seen.identity !== watched?.identity) watched = { identity: seen.identity, since: performance.now() };
    const watchedLongEnough = performance.now() - watched.since > TAKEOVER_WATCH_MS;
    if (seen.age > STALE_LOCK_MS && watchedLongEnough && (await takeOver(lock, watched.identity, owner)))
      continue;
    if (performance.now() > deadline)
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
 * Removes the stale lock this contender watched (`identity`), one contender at a time: meanwhile another may have
 * removed it and created a fresh one, so the lock is looked at again under `<lock>.takeover` (a lock of its own, held
 * for a few system calls). Answers false when another contender is taking over, to be waited for.
 */
async function takeOver(lock: string, identity: string, owner: string): Promise<boolean> {
  const guard = `${lock}.takeover`;
  if (!(await createExclusively(guard, owner))) {
    // A guard this old was left by a crash in the middle of a takeover.
    const guardSeen = await look(guard);
    if (guardSeen === undefined) return true;
    if (guardSeen.age <= STALE_LOCK_MS) return false;
    await removeIfStillStale(guard, guardSeen.identity);
    return true;
  }
  try {
    const seen = await look(lock);
    if (seen?.identity === identity && seen.age > STALE_LOCK_MS) await removeIfStillStale(lock, identity);
  } finally {
    await release(guard, owner);
  }
  return true;
}

/**
 * Deletes `file` if it is still the stale one seen as `identity`. A plain delete could hit a fresh file that a rival
 * put in its place since that look, so the file is first renamed to a name of this contender's and looked at there:
 * when it is not the one seen, it is put back with `link` (which fails rather than overwrite one created meanwhile).
 */
async function removeIfStillStale(file: string, identity: string): Promise<void> {
  const aside = `${file}.${process.pid}.${randomBytes(8).toString('hex')}.stale`;
  try {
    await rename(file, aside);
  } catch (error) {
    if (code(error) === 'ENOENT') return;
    throw error;
  }
  try {
    const moved = await look(aside);
    if (moved !== undefined && (moved.identity !== identity || moved.age <= STALE_LOCK_MS))
      await link(aside, file).catch((error: unknown) => {
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

/**
 * What `file` is: how long ago it was written (milliseconds, wall clock) and an identity made of its device, inode
 * and nonce, read through one descriptor so that they belong to the same file. Undefined when there is none.
 */
async function look(file: string): Promise<{ age: number; identity: string } | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if (code(error) === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const { dev, ino, mtimeMs } = await handle.stat();
    const nonce = await handle.readFile('utf8');
    return { age: Date.now() - mtimeMs, identity: `${dev} ${ino} ${nonce}` };
  } finally {
    await handle.close();
  }
}

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}
