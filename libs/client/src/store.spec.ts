import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LOCK_WAIT_MS, REFRESH_TIMEOUT_MS, STALE_LOCK_MS, TAKEOVER_WATCH_MS } from './lock-file';
import { TesseraHome } from './store';

const STALE_OWNER = '4242 0123456789abcdef0123456789abcdef';
const OTHER_OWNER = '31337 fedcba9876543210fedcba9876543210';
const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('TesseraHome.withAuthLock', () => {
  let dir: string;
  let home: TesseraHome;
  let lock: string;
  let guard: string;
  /** How far the monotonic clock the lock reads is ahead of the real one: time spent watching, without the wait. */
  let clockAhead: number;

  beforeEach(async () => {
    dir = await fs.mkdtemp(join(tmpdir(), 'tessera-lock-'));
    home = new TesseraHome(dir);
    lock = `${home.authFile}.lock`;
    guard = `${lock}.takeover`;
    clockAhead = 0;
    const now = performance.now.bind(performance);
    jest.spyOn(performance, 'now').mockImplementation(() => now() + clockAhead);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** A lock as a process that crashed a while ago left it. */
  async function plantStaleLock(file: string): Promise<void> {
    await fs.writeFile(file, STALE_OWNER, { mode: 0o600 });
    const old = new Date(Date.now() - STALE_LOCK_MS - 5_000);
    await fs.utimes(file, old, old);
  }

  /** Lets the contenders started look at the lock, then moves the monotonic clock on by `ms`. */
  async function watchFor(ms: number): Promise<void> {
    await pause(200);
    clockAhead += ms;
  }

  /** Another process replaces the lock with a fresh one of its own. */
  async function replaceLock(): Promise<void> {
    await fs.rm(lock);
    await fs.writeFile(lock, OTHER_OWNER);
  }

  /** Starts a contender and checks that it waits, leaving the other holder's lock alone, until that one releases it. */
  async function expectToWaitForTheHolder(): Promise<void> {
    let entered = false;
    const contender = home.withAuthLock(async () => {
      entered = true;
    });
    await pause(500);
    expect(entered).toBe(false);
    expect(await fs.readdir(dir)).toEqual(['auth.json.lock']);
    expect(await fs.readFile(lock, 'utf8')).toBe(OTHER_OWNER);
    await fs.rm(lock); // the holder releases it
    await contender;
    expect(entered).toBe(true);
    expect(await fs.readdir(dir)).toEqual([]);
  }

  it('holds auth.json.lock (mode 0600) with "<pid> <random hex>" and removes it afterwards', async () => {
    const holders = [];
    for (let i = 0; i < 2; i++)
      holders.push(
        await home.withAuthLock(async () => {
          expect((await fs.stat(lock)).mode & 0o777).toBe(0o600);
          return fs.readFile(lock, 'utf8');
        }),
      );
    expect(holders[0]).toMatch(new RegExp(`^${process.pid} [0-9a-f]{32}$`));
    expect(holders[1]).not.toBe(holders[0]);
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('does not delete on release a lock that another owner holds by then', async () => {
    await home.withAuthLock(async () => {
      // This holder was suspended past the stale age and another process took the lock over meanwhile.
      await fs.rm(lock);
      await fs.writeFile(lock, OTHER_OWNER);
    });
    expect(await fs.readFile(lock, 'utf8')).toBe(OTHER_OWNER);
  });

  it('waits for a fresh lock, leaving it alone, and enters once it is released', async () => {
    await fs.writeFile(lock, OTHER_OWNER);
    await expectToWaitForTheHolder();
  });

  it('lets exactly one of several concurrent contenders take a stale lock over, and the others in one at a time', async () => {
    await plantStaleLock(lock);
    const unlink = fs.unlink;
    const removedStale: string[] = [];
    jest.spyOn(fs, 'unlink').mockImplementation(async (path) => {
      if (String(path).endsWith('.stale')) removedStale.push(await fs.readFile(path, 'utf8'));
      return unlink(path);
    });
    let inside = 0;
    let mostInside = 0;
    const contenders = Array.from({ length: 8 }, () =>
      home.withAuthLock(async () => {
        mostInside = Math.max(mostInside, ++inside);
        await pause(20);
        inside--;
      }),
    );
    await watchFor(TAKEOVER_WATCH_MS + 1);
    await Promise.all(contenders);
    expect(mostInside).toBe(1);
    expect(removedStale.filter((owner) => owner === STALE_OWNER)).toHaveLength(1);
    expect(await fs.readdir(dir)).toEqual([]); // neither the lock nor a renamed one is left behind
  });

  it.each([
    ['before this contender took the takeover guard: it looks again under the guard', 'open'],
    ['between the look under the guard and the rename: the renamed fresh lock is put back', 'rename'],
  ] as const)('leaves alone a fresh lock that replaced the stale one it watched %s', async (_, step) => {
    await plantStaleLock(lock);
    let replaced = false;
    const original = fs[step] as (...args: unknown[]) => Promise<unknown>;
    jest.spyOn(fs, step).mockImplementation((async (...args: unknown[]) => {
      // Meanwhile another contender took the stale lock over and holds a fresh one.
      const atThatStep = step === 'rename' ? args[0] === lock : args[0] === guard && args[1] === 'wx';
      if (atThatStep && !replaced) {
        replaced = true;
        await replaceLock();
      }
      return original(...args);
    }) as never);
    const contender = home.withAuthLock(async () => fs.readFile(lock, 'utf8'));
    await watchFor(TAKEOVER_WATCH_MS + 1);
    await pause(300);
    expect(replaced).toBe(true);
    expect(await fs.readdir(dir)).toEqual(['auth.json.lock']);
    expect(await fs.readFile(lock, 'utf8')).toBe(OTHER_OWNER);
    await fs.rm(lock); // the holder releases it
    expect((await contender).startsWith(`${process.pid} `)).toBe(true);
  });

  it('takes a stale lock over only after watching it unchanged for a while, as a suspended holder has to wake up', async () => {
    // After a suspend both the waiter and the holder (whose refresh was in flight) wake up to a lock older than
    // the stale age; the holder's refresh timeout resumes where it stopped.
    await plantStaleLock(lock);
    let entered = false;
    const contender = home.withAuthLock(async () => {
      entered = true;
    });
    await watchFor(TAKEOVER_WATCH_MS - 1_000);
    await pause(300);
    expect(entered).toBe(false);
    expect(await fs.readFile(lock, 'utf8')).toBe(STALE_OWNER);
    // The holder released and another took the lock, which the clock then also calls stale: the watch begins again.
    await fs.writeFile(lock, OTHER_OWNER);
    const old = new Date(Date.now() - STALE_LOCK_MS - 5_000);
    await fs.utimes(lock, old, old);
    await watchFor(2_000);
    await pause(300);
    expect(entered).toBe(false);
    expect(await fs.readFile(lock, 'utf8')).toBe(OTHER_OWNER);
    await watchFor(TAKEOVER_WATCH_MS);
    await contender;
    expect(entered).toBe(true);
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('leaves alone a fresh takeover guard that replaced the stale one it saw', async () => {
    await plantStaleLock(lock);
    await plantStaleLock(guard);
    const open = fs.open;
    let replaced = false;
    jest.spyOn(fs, 'open').mockImplementation((async (path: string, flags?: string, mode?: number) => {
      const handle = await open(path, flags, mode);
      if (path === guard && flags === 'r' && !replaced) {
        // Right after this contender's look at the stale guard, a rival removed it and now takes over under its own.
        replaced = true;
        await fs.rm(guard);
        await fs.writeFile(guard, OTHER_OWNER);
      }
      return handle;
    }) as never);
    let entered = false;
    const contender = home.withAuthLock(async () => {
      entered = true;
    });
    await watchFor(TAKEOVER_WATCH_MS + 1);
    await pause(300);
    expect(replaced).toBe(true);
    expect(entered).toBe(false);
    expect(await fs.readFile(guard, 'utf8')).toBe(OTHER_OWNER);
    expect(await fs.readdir(dir)).toEqual(['auth.json.lock', 'auth.json.lock.takeover']);
    await fs.rm(guard); // the rival is done
    await contender;
    expect(entered).toBe(true);
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('removes a takeover guard left by a crash, and takes the stale lock over', async () => {
    await plantStaleLock(lock);
    await plantStaleLock(guard);
    const contender = home.withAuthLock(() => fs.readFile(lock, 'utf8'));
    await watchFor(TAKEOVER_WATCH_MS + 1);
    const holder = await contender;
    expect(holder.startsWith(`${process.pid} `)).toBe(true);
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('gives up on a refresh long before its lock could be taken for stale', () => {
    expect(REFRESH_TIMEOUT_MS).toBeLessThan(TAKEOVER_WATCH_MS);
    expect(TAKEOVER_WATCH_MS).toBeLessThan(LOCK_WAIT_MS);
    expect(LOCK_WAIT_MS).toBeLessThan(STALE_LOCK_MS);
    expect(STALE_LOCK_MS).toBeGreaterThanOrEqual(4 * REFRESH_TIMEOUT_MS);
  });
});
