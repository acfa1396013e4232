/**
 * The web console in Chromium, against the real stack (as `npm start` runs it):
 * (a) the first page's JavaScript: every script `/` loads, signed in, until the network is idle, gzipped
 *     (budget 250 kB), with the largest chunks;
 * (b) Members with 1,000 members and API Keys with 1,000 keys: time from navigation to the table being
 *     interactive (first row visible, pagination enabled), median of N runs, against the same page with 10 rows
 *     in the same run (budget 500 ms). Two navigations: a click on the page's link in the console's menu (how a
 *     person moves between pages), and a full page load of its address (a bookmark, a reload: the console
 *     starts from nothing and renews its access token first).
 * Figures and ratios only: nothing here passes or fails on time.
 */
import { commonVariables, loadConfigOrExit } from '@tessera/config';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { type Page, type Response, chromium } from 'playwright-core';
import { openBenchSession, signInBenchUser } from '../auth-bearer/bearer-token';
import { UsageError, count, progress } from '../lib/cli';
import { percentile } from '../lib/stats';
import { formatRatio, renderTable } from '../lib/table';
import { launchTessera } from '../lib/tessera-stack';
import { seedKeys, seedMembers } from './seed';

/** Debian's Chromium: a bench never downloads a browser. */
const CHROMIUM = '/usr/bin/chromium';
const USAGE = `Usage: npm run bench:console -- [--runs N] [--chromium PATH]

Starts Tessera (as npm start does, on a database of its own) and Chromium (default ${CHROMIUM}).
Measures the gzipped JavaScript of the first page, then loads Members and API Keys
with 1,000 rows and with 10 rows (the baseline), N times each (default 7), and prints the medians.`;

const LARGE = 1000;
const SMALL = 10;
const FIRST_PAGE_BUDGET_KB = 250;
const TABLE_BUDGET_MS = 500;
/** How long a page may take to show a table before the bench decides it has none. */
const TABLE_WAIT_MS = 15_000;
const SESSION_COOKIE = 'tessera_session';

interface Chunk {
  url: string;
  gzipBytes: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string' },
      chromium: { type: 'string', default: CHROMIUM },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const runs = count('--runs', values.runs, 7, 1);
  const config = loadConfigOrExit({
    databaseUrl: commonVariables.databaseUrl,
    natsUrls: commonVariables.natsUrls,
    redisUrl: commonVariables.redisUrl,
  });
  const stack = await launchTessera({
    ...config,
    // Every page load renews the access token: the runs would otherwise outgrow a minute's sign-in budget.
    environment: { TESSERA_AUTH_RATE_LIMIT: '1000' },
  });
  const browser = await chromium.launch({
    executablePath: values.chromium,
    args: ['--headless', '--no-sandbox'],
  });
  try {
    await Promise.race([stack.ready, stack.exited]);
    const { user, accessToken } = await signInBenchUser(stack.url, stack.databaseUrl);
    const createTeam = async (name: string): Promise<string> => {
      const response = await fetch(`${stack.url}/v1/teams`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
      if (response.status !== 201) throw new Error(`POST /v1/teams answered ${response.status}`);
      return ((await response.json()) as { id: string }).id;
    };
    const large = await createTeam('Large team');
    const small = await createTeam('Small team');
    progress(`seeding ${LARGE} members and ${LARGE} keys…`);
    // The creator is a member already: the lists hold LARGE and SMALL rows with them.
    await seedMembers(stack.databaseUrl, large, LARGE - 1);
    await seedMembers(stack.databaseUrl, small, SMALL - 1);
    await seedKeys(stack.databaseUrl, large, user.id, LARGE);
    await seedKeys(stack.databaseUrl, small, user.id, SMALL);

    // The browser signs in as a sign-in would leave it: a session cookie of its own.
    const context = await browser.newContext({ baseURL: stack.url });
    await context.addCookies([
      {
        name: SESSION_COOKIE,
        value: await openBenchSession(stack.databaseUrl, user.id),
        url: stack.url,
        httpOnly: true,
        sameSite: 'Lax',
      },
    ]);
    const page = await context.newPage();

    const chunks = await firstPageScripts(page);
    const totalKb = chunks.reduce((sum, chunk) => sum + chunk.gzipBytes, 0) / 1000;
    process.stdout.write(
      `${renderTable(
        ['first page: script', 'gzip kB'],
        chunks.slice(0, 8).map((chunk) => [chunk.url, (chunk.gzipBytes / 1000).toFixed(1)]),
      )}\nfirst page JavaScript: ${chunks.length} scripts, ${totalKb.toFixed(1)} kB gzipped ` +
        `(budget ${FIRST_PAGE_BUDGET_KB} kB: ${formatRatio(totalKb / FIRST_PAGE_BUDGET_KB)} of it)\n\n`,
    );

    const figures: Record<string, Timing | null> = {};
    const rows: string[][] = [];
    for (const [label, path] of [
      ['Members', 'members'],
      ['API Keys', 'keys'],
    ] as const) {
      for (const navigation of NAVIGATIONS) {
        const measure = (accountId: string) => navigation.measure(page, accountId, path, label);
        const timed = await timeTable(
          `${label}, ${navigation.name}`,
          () => measure(large),
          () => measure(small),
          runs,
        );
        figures[`${path}${navigation.key}`] = timed;
        if (!timed) {
          process.stdout.write(`${label}: the page shows no table yet — skipped.\n`);
          continue;
        }
        rows.push([
          `${label}, ${navigation.name}`,
          `${timed.largeMs.toFixed(0)} (${LARGE} rows)`,
          `${timed.smallMs.toFixed(0)} (${SMALL} rows)`,
          formatRatio(timed.largeMs / timed.smallMs),
        ]);
      }
    }
    if (rows.length > 0)
      process.stdout.write(
        `${renderTable(['page, navigation', 'p50 ms', 'baseline p50 ms', 'ratio'], rows)}\n` +
          `time from navigation to the table interactive, median of ${runs} (budget ${TABLE_BUDGET_MS} ms)\n`,
      );
    process.stdout.write(
      `${JSON.stringify({
        bench: 'console',
        firstPageScripts: chunks.length,
        firstPageGzipKb: totalKb,
        runs,
        ...Object.fromEntries(
          Object.entries(figures).flatMap(([name, timed]) => [
            [`${name}P50Ms`, timed?.largeMs ?? null],
            [`${name}BaselineP50Ms`, timed?.smallMs ?? null],
          ]),
        ),
      })}\n`,
    );
  } finally {
    await browser.close();
    await stack.stop();
  }
}

/**
 * The scripts `/` loads before the network goes idle, largest first, each gzipped here (default level) from
 * the bytes the browser received: the console's files are served uncompressed or compressed depending on the
 * proxy in front, and this counts what gzip makes of them either way.
 */
async function firstPageScripts(page: Page): Promise<Chunk[]> {
  const scripts: Promise<Chunk>[] = [];
  const onResponse = (response: Response) => {
    if (response.request().resourceType() !== 'script') return;
    scripts.push(
      response.body().then((body) => ({
        url: new URL(response.url()).pathname,
        gzipBytes: gzipSync(body).length,
      })),
    );
  };
  page.on('response', onResponse);
  await page.goto('/', { waitUntil: 'networkidle' });
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await page.waitForLoadState('networkidle');
  page.off('response', onResponse);
  return (await Promise.all(scripts)).sort((a, b) => b.gzipBytes - a.gzipBytes);
}

interface Timing {
  largeMs: number;
  smallMs: number;
}

/** One way to reach a page: each answers milliseconds to the table interactive, or null when it has none. */
interface Navigation {
  name: string;
  key: string;
  measure(page: Page, accountId: string, path: string, label: string): Promise<number | null>;
}

const NAVIGATIONS: Navigation[] = [
  { name: 'from the menu', key: 'Menu', measure: fromMenuMs },
  { name: 'page load', key: 'Load', measure: pageLoadMs },
];

/** Medians of `runs` measures of the large and the small page, alternating, or null when there is no table. */
async function timeTable(
  label: string,
  large: () => Promise<number | null>,
  small: () => Promise<number | null>,
  runs: number,
): Promise<Timing | null> {
  const largeMs: number[] = [];
  const smallMs: number[] = [];
  // A first, unmeasured round warms the HTTP cache, as a person's second visit would find it.
  if ((await large()) === null) return null;
  await small();
  for (let run = 0; run < runs; run += 1) {
    largeMs.push((await large())!);
    smallMs.push((await small())!);
    progress(
      `${label}: run ${run + 1}/${runs}: ${largeMs.at(-1)!.toFixed(0)} ms (baseline ${smallMs.at(-1)!.toFixed(0)} ms)`,
    );
  }
  const median = (samples: number[]) =>
    percentile(
      samples.sort((a, b) => a - b),
      50,
    );
  return { largeMs: median(largeMs), smallMs: median(smallMs) };
}

/** A full load of the page's address: from the navigation's start, as the page itself counts time. */
async function pageLoadMs(
  page: Page,
  accountId: string,
  path: string,
  label: string,
): Promise<number | null> {
  await page.goto(`/a/${accountId}/${path}`, { waitUntil: 'commit' });
  return tableInteractiveAt(page, label, 0);
}

/**
 * A click on the page's link in the menu, from the account's Settings page freshly loaded (so no answer of an
 * earlier run is in the console's cache): from the click, as the page itself counts time.
 */
async function fromMenuMs(
  page: Page,
  accountId: string,
  path: string,
  label: string,
): Promise<number | null> {
  await page.goto(`/a/${accountId}/settings`);
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  const clickedAt = page.evaluate(
    () =>
      new Promise<number>((resolve) =>
        document.addEventListener('click', () => resolve(performance.now()), { capture: true, once: true }),
      ),
  );
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: label }).click();
  const ms = await tableInteractiveAt(page, label, await clickedAt);
  if (new URL(page.url()).pathname !== `/a/${accountId}/${path}`)
    throw new Error(`the menu's “${label}” led to ${page.url()}`);
  return ms;
}

/**
 * Milliseconds from `since` (the page's own clock) to the page titled `title` showing its first body row and,
 * when there are several pages, the pagination's buttons enabled — checked every frame.
 */
async function tableInteractiveAt(page: Page, title: string, since: number): Promise<number | null> {
  const ready = await page
    .waitForFunction(
      (heading) => {
        if (document.querySelector('main h1')?.textContent !== heading) return null;
        const row = document.querySelector('main table tbody tr');
        if (!row || row.getBoundingClientRect().height === 0) return null;
        const pages = Array.from(
          document.querySelectorAll<HTMLButtonElement>('main button[aria-label^="Page "]'),
        );
        if (pages.some((button) => button.disabled)) return null;
        return performance.now();
      },
      title,
      { polling: 'raf', timeout: TABLE_WAIT_MS },
    )
    .catch(() => null);
  return ready === null ? null : ((await ready.jsonValue()) as number) - since;
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`console bench failed: ${error instanceof Error ? error.message : error}\n`);
  process.exitCode = 1;
});
