import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { CliUnderTest, approvedLogin } from './support/cli';
import { GitHubPlatform } from './support/github-platform';
import { accessToken, browser, signInWithGitHub } from './support/sign-in';

const PYTHON_CLIENT = resolve(__dirname, '..', 'clients', 'python');
/** The `tessera` command the Python tests run beside their own processes: the package's bin. */
const TESSERA = [process.execPath, resolve(__dirname, '..', 'bin', 'tessera.js')];

interface Finished {
  code: number | null;
  output: string;
}

/** `python3 -m pytest` on the Python client's tests, in a process of its own with the environment given. */
function pytest(env: Record<string, string>): Promise<Finished> {
  return new Promise((done, fail) => {
    const child = spawn('python3', ['-m', 'pytest', '-p', 'no:cacheprovider', '-v'], {
      cwd: PYTHON_CLIENT,
      env: { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1', ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) => fail(new Error(`python3 with pytest is needed: ${error.message}`)));
    child.once('close', (code) => done({ code, output }));
  });
}

/**
 * The Python client (clients/python) against the real stack, as the seed tells it: `tessera auth login` and
 * `tessera teams set` in the CLI, then Python processes pick up the login and act in that team. The checks
 * themselves are pytest tests (clients/python/tests/stack); this spec prepares the stack, the login and the team they
 * need, runs them with the CLI's HOME and host, and fails with pytest's output if any fails or is skipped.
 */
describe('the Python client', () => {
  let stack: GitHubPlatform;
  let host: string;
  let cli: CliUnderTest;

  beforeAll(async () => {
    stack = await GitHubPlatform.start();
    host = await stack.platform.listen();
    cli = await CliUnderTest.create(host);
  });

  afterAll(async () => {
    await cli?.remove();
    await stack?.stop();
  });

  it('acts as the CLI login in the team set, and refreshes alongside the CLI without revoking the session', async () => {
    const { platform, github, fixtures } = stack;
    github.setUser({
      id: 78_001,
      login: 'py-person',
      name: 'Python Person',
      emails: [{ email: 'py.person@example.com', primary: true, verified: true }],
    });
    const agent = browser(platform.http);
    await signInWithGitHub(agent, github);
    const token = await accessToken(agent);
    const person = { id: '', email: 'py.person@example.com', token, personalAccountId: '' };
    const researchId = await fixtures.createTeam(person, 'Research');
    const platformId = await fixtures.createTeam(person, 'Platform');
    const developer = await fixtures.addMember(person, platformId, 'developer', 'dev');

    // `tessera auth login`: the person approves in the browser and picks Research.
    expect((await approvedLogin(cli, agent, researchId)).code).toBe(0);
    // `tessera teams set`: the scripts must act for Platform from now on.
    expect((await cli.run(['teams', 'set', 'Platform'])).code).toBe(0);
    const key = await cli.run(['keys', 'create', '--name', 'python', '--scope', 'API', '--team', 'Research']);
    expect(key.code).toBe(0);

    const result = await pytest({
      HOME: cli.home,
      TESSERA_HOST: host,
      TESSERA_TEST_STACK: JSON.stringify({
        team: platformId,
        loginTeam: researchId,
        email: person.email,
        memberEmail: developer.email,
        key: key.stdout.trim(),
        cli: TESSERA,
      }),
    });
    if (result.code !== 0 || /skipped/i.test(result.output))
      throw new Error(`pytest exited ${result.code}:\n${result.output}`);
    expect(result.output).toMatch(/tests\/stack\/test_story\.py::\S+ PASSED/);

    // The CLI's session survived every refresh the Python processes made, and still acts for Platform.
    const status = await cli.json<{ account: { id: string } }>(['auth', 'status']);
    expect(status.account.id).toBe(platformId);
  }, 180_000);
});
