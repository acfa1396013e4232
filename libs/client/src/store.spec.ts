import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCK_WAIT_MS, REFRESH_TIMEOUT_MS, STALE_LOCK_MS } from './lock-file';
import { TesseraHome } from './store';

const STALE_OWNER = '4242 0123456789abcdef0123456789abcdef';
const OTHER_OWNER = '31337 fedcba9876543210fedcba9876543210';
const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('TesseraHome.withAuthLock', () => {
  let dir: string;
  let home: TesseraHome;
  let lock: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(join(tmpdir(), 'tessera-lock-'));
    home = new TesseraHome(dir);
    lock = `${home.authFile}.lock`;
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
    await Promise.all(
      Array.from({ length: 8 }, () =>
        home.withAuthLock(async () => {
          mostInside = Math.max(mostInside, ++inside);
          await pause(20);
          inside--;
        }),
      ),
    );
    expect(mostInside).toBe(1);
    expect(removedStale.filter((owner) => owner === STALE_OWNER)).toHaveLength(1);
    expect(await fs.readdir(dir)).toEqual([]); // neither the lock nor a renamed one is left behind
  });

  it.each([
    ['before this contender took the takeover guard: it judges again under the guard', 1],
    ['between the look under the guard and the rename: the renamed fresh lock is put back', 2],
  ])('leaves alone a fresh lock that replaced the stale one it saw %s', async (_, staleLooks) => {
    await fs.writeFile(lock, OTHER_OWNER); // another contender took the stale lock over and holds a fresh one
    const stat = jest.spyOn(fs, 'stat');
    // This contender's looks at the lock date from before that takeover.
    for (let i = 0; i < staleLooks; i++)
      stat.mockImplementationOnce(async () => ({ mtimeMs: Date.now() - STALE_LOCK_MS - 5_000 }) as never);
    await expectToWaitForTheHolder();
  });

  it('removes a takeover guard left by a crash, and takes the stale lock over', async () => {
    await plantStaleLock(lock);
    await plantStaleLock(`${lock}.takeover`);
    const holder = await home.withAuthLock(() => fs.readFile(lock, 'utf8'));
    expect(holder.startsWith(`${process.pid} `)).toBe(true);
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('gives up on a refresh long before its lock could be taken for stale', () => {
    expect(REFRESH_TIMEOUT_MS).toBeLessThan(LOCK_WAIT_MS);
    expect(LOCK_WAIT_MS).toBeLessThan(STALE_LOCK_MS);
    expect(STALE_LOCK_MS).toBeGreaterThanOrEqual(4 * REFRESH_TIMEOUT_MS);
  });
});
