import { Page } from 'playwright-core';
import { ConsolePerson, ConsoleStack, screenshot, seriousViolations } from './support/console-stack';

/**
 * Every console page, as every kind of person: the team's Admin, Developer and Billing (a team inside an
 * organization), the organization's Org Admin, and an outsider (signed in, a member of nothing here). Each page
 * must render its heading with no console error and no serious accessibility violation; the outsider must be
 * refused and see none of the team's data. The tables drive it: a new page is one row.
 */
type Role = 'admin' | 'developer' | 'billing' | 'org-admin' | 'outsider';
const ROLES: Role[] = ['admin', 'developer', 'billing', 'org-admin', 'outsider'];
const MEMBERS: Role[] = ['admin', 'developer', 'billing', 'org-admin'];

interface Place {
  team: string;
  org: string;
  /** The personal account of the person visiting. */
  personal: string;
}

interface ConsoleRoute {
  /** The screenshot's name: `<role>-<name>.png`. */
  name: string;
  path: (place: Place) => string;
  title: string;
  /** Who sees the page itself; the outsider is refused, anyone else may be either. */
  for: Role[];
}

const team = (page: string, title: string): ConsoleRoute => ({
  name: `team-${page}`,
  path: (place) => `/a/${place.team}/${page}`,
  title,
  for: MEMBERS,
});
const personal = (page: string, title: string): ConsoleRoute => ({
  name: `personal-${page}`,
  path: (place) => `/a/${place.personal}/${page}`,
  title,
  for: ROLES,
});
const org = (page: string, title: string): ConsoleRoute => ({
  name: `org-${page}`,
  path: (place) => `/o/${place.org}/${page}`,
  title,
  for: ['org-admin'],
});

const ROUTES: ConsoleRoute[] = [
  team('members', 'Members'),
  team('keys', 'API Keys'),
  team('usage', 'Usage'),
  team('policies', 'Policies'),
  team('settings', 'Settings'),
  personal('keys', 'API Keys'),
  personal('usage', 'Usage'),
  org('teams', 'Teams'),
  org('members', 'Members'),
  org('keys', 'API Keys'),
  org('usage', 'Usage'),
  org('admins', 'Org Admins'),
  org('policies', 'Policies'),
  org('domains', 'Verified domains'),
  org('sso', 'Single sign-on'),
  { name: 'account', path: () => '/account', title: 'Your account', for: ROLES },
];

/**
 * axe runs once a page (a few seconds each), as the person who sees most of it: the team's Admin, the Org Admin on
 * organization pages. The refusal an outsider sees is one page, audited on the first team page. The read-only
 * views of Developer and Billing are audited by the pages' own specs.
 */
function auditedBy(route: ConsoleRoute): Role[] {
  return route === ROUTES[0] ? [route.for[0], 'outsider'] : [route.for[0]];
}

/**
 * A refusal the API answers a page (403 for a role, 404 for a stranger) is logged by Chromium as "Failed to load
 * resource"; the page shows it in words, which is what it should do. Every other console error fails the sweep.
 */
const REFUSAL_LOG = /Failed to load resource: the server responded with a status of 40[34]/;

interface Visitor extends ConsolePerson {
  role: Role;
  token: string;
  place: Place;
}

describe('the web console: every page, as every role', () => {
  // Five browser profiles and ~100 page visits on one platform.
  jest.setTimeout(240_000);
  let stack: ConsoleStack;
  const visitors = new Map<Role, Visitor>();
  /** What an outsider must never see. */
  const secrets: string[] = [];

  beforeAll(async () => {
    stack = await ConsoleStack.start();
    for (const role of ROLES) {
      const person = await stack.person(role.replace('-', ''));
      const { token } = await stack.apiUser(person);
      const accounts = await api(token).get('/v1/me/accounts');
      visitors.set(role, {
        ...person,
        role,
        token,
        place: { team: '', org: '', personal: accounts[0].id as string },
      });
    }
    const orgAdmin = visitors.get('org-admin')!;
    const acme = await api(orgAdmin.token).post('/v1/orgs', { name: 'Acme Sweep Org' });
    const lab = await api(orgAdmin.token).post(`/v1/orgs/${acme.id}/teams`, { name: 'Sweep Research Lab' });
    for (const role of ['admin', 'developer', 'billing'] as const) {
      const member = visitors.get(role)!;
      const invitation = await api(orgAdmin.token).post(`/v1/teams/${lab.id}/invitations`, {
        email: member.email,
        role,
      });
      const linkToken = await stack.fixtures.invitationToken(invitation.id as string);
      await api(member.token).post('/v1/invitations/accept', { token: linkToken });
    }
    for (const visitor of visitors.values()) Object.assign(visitor.place, { team: lab.id, org: acme.id });
    secrets.push('Sweep Research Lab', 'Acme Sweep Org', ...MEMBERS.map((role) => visitors.get(role)!.email));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** The API as the person, with the access token their browser session gave. */
  function api(token: string) {
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${stack.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const answer = await response.json();
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(answer)}`);
      return answer;
    };
    return {
      get: (path: string) => call('GET', path),
      post: (path: string, body: unknown) => call('POST', path, body),
    };
  }

  it.each(ROLES)('every page renders for %s, accessibly and without errors', async (role) => {
    const visitor = visitors.get(role)!;
    const problems: string[] = [];
    for (const route of ROUTES) {
      const path = route.path(visitor.place);
      const errorsBefore = visitor.errors.length;
      const heading = await visit(visitor.page, path);
      const where = `${route.name} (${path})`;
      await screenshot(visitor.page, `${role}-${route.name}`);
      if (route.for.includes(role)) {
        if (heading !== route.title) problems.push(`${where}: heading "${heading}", not "${route.title}"`);
      } else if (role === 'outsider') {
        problems.push(...(await refusalProblems(visitor.page, where)));
      }
      const errors = visitor.errors.slice(errorsBefore).filter((error) => !REFUSAL_LOG.test(error));
      problems.push(...errors.map((error) => `${where}: console error ${error}`));
      if (auditedBy(route).includes(role))
        problems.push(
          ...(await seriousViolations(visitor.page)).map((violation) => `${where}: ${violation}`),
        );
    }
    expect(problems).toEqual([]);
  });

  it('every page fits a 360 px wide screen, as Admin', async () => {
    const { page, place } = visitors.get('admin')!;
    await page.setViewportSize({ width: 360, height: 800 });
    const overflowing: string[] = [];
    for (const route of ROUTES) {
      await visit(page, route.path(place));
      await screenshot(page, `admin-${route.name}-narrow`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 360) overflowing.push(`${route.name}: ${width}px wide`);
    }
    expect(overflowing).toEqual([]);
  });

  /** The outsider must see nothing of the team, and be told so: "Not found" or a refusal. */
  async function refusalProblems(page: Page, where: string): Promise<string[]> {
    const text = `${await page.title()} ${await page.locator('body').innerText()}`;
    const problems = secrets.filter((secret) => text.includes(secret)).map((s) => `${where}: shows "${s}"`);
    const refused =
      (await page.getByRole('heading', { level: 1, name: 'Not found' }).count()) > 0 ||
      (await page.getByRole('alert').count()) > 0;
    if (!refused) problems.push(`${where}: neither "Not found" nor a refusal`);
    return problems;
  }
});

/** A full navigation to `path`, settled: its heading shown and nothing left loading. Answers the heading. */
async function visit(page: Page, path: string): Promise<string> {
  await page.goto(path);
  const heading = page.getByRole('heading', { level: 1 });
  await heading.first().waitFor();
  await page.waitForFunction(() => document.querySelector('[role="status"]') === null);
  return (await heading.first().innerText()).trim();
}
