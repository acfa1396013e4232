import { eventually } from '@tessera/testing';
import { JSONCodec } from 'nats';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import request from 'supertest';
import { CliUnderTest, outcome, printed } from './support/cli';
import { GitHubPlatform } from './support/github-platform';
import { accessToken, browser, signInWithGitHub } from './support/sign-in';

const codec = JSONCodec();

/**
 * `tessera secrets` as a user runs it (the built bin, a child process), logged in with `tessera auth login` for a
 * team; values checked where apps read them, on NATS. Needs `npm run build`.
 */
describe('tessera secrets', () => {
  let stack: GitHubPlatform;
  let cli: CliUnderTest;
  let host: string;
  let teamId: string;
  let appKey: string;

  beforeAll(async () => {
    stack = await GitHubPlatform.start();
    host = await stack.platform.listen();
    cli = await CliUnderTest.create(host);

    // An Admin signs in in a browser, makes a team, and approves the CLI's device login for it.
    stack.github.setUser({
      id: 78_001,
      login: 'secrets-cli',
      name: 'Secrets CLI',
      emails: [{ email: 'secrets.cli@example.com', primary: true, verified: true }],
    });
    const agent = browser(stack.platform.http);
    await signInWithGitHub(agent, stack.github);
    const token = await accessToken(agent);
    const bearer = (test: request.Test) => test.set('authorization', `Bearer ${token}`);
    teamId = (
      await bearer(request(stack.platform.http).post('/v1/teams')).send({ name: 'Deploys' }).expect(201)
    ).body.id;
    appKey = (
      await bearer(request(stack.platform.http).post(`/v1/accounts/${teamId}/keys`))
        .send({ name: 'app', scope: 'ADMIN' })
        .expect(201)
    ).body.secret;
    const login = cli.spawn(['auth', 'login', '--no-browser']);
    const finished = outcome(login);
    const [, userCode] = await printed(login, /one-time code: ([A-Z]{4}-[A-Z]{4})/);
    await agent.post('/auth/device/approve').send({ user_code: userCode, account_id: teamId }).expect(200);
    expect((await finished).code).toBe(0);
  }, 60_000);

  afterAll(async () => {
    await cli?.remove();
    await stack?.stop();
  });

  /** What a deployed app running with the team's ADMIN key reads. */
  async function appReads(name: string): Promise<unknown> {
    const reply = await stack.nc.request(
      'tessera.secrets.resolve',
      codec.encode({ authorization: `Key ${appKey}`, names: [name] }),
      { timeout: 5000 },
    );
    return codec.decode(reply.data);
  }

  it('has --help with examples on every command', async () => {
    for (const command of [['secrets'], ['secrets', 'set'], ['secrets', 'list'], ['secrets', 'unset']]) {
      const result = await cli.run([...command, '--help']);
      expect({ command, code: result.code }).toEqual({ command, code: 0 });
      expect(result.stdout).toContain(`Usage: tessera ${command.join(' ')}`);
    }
    expect((await cli.run(['secrets', 'set', '--help'])).stdout).toContain('--allow-empty');
    for (const command of ['set', 'list', 'unset'])
      expect((await cli.run(['secrets', command, '--help'])).stdout).toContain(
        `$ tessera secrets ${command}`,
      );
  });

  it('sets a value read from standard input, never echoing it, and apps read it', async () => {
    const set = await cli.run(
      ['secrets', 'set', 'DATABASE_URL', '--value', '-'],
      {},
      'postgres://cli-value\n',
    );
    expect(set.code).toBe(0);
    expect(set.stdout + set.stderr).not.toContain('cli-value');
    expect(set.stdout).toContain('Set secret DATABASE_URL');
    // The final line break `echo` adds is not part of the value.
    expect(await appReads('DATABASE_URL')).toMatchObject({
      secrets: { DATABASE_URL: 'postgres://cli-value' },
    });

    // Piped without --value: read the same way, and `--json` prints the listing, never the value.
    const piped = await cli.run(['secrets', 'set', 'DATABASE_URL', '--json'], {}, 'postgres://replaced');
    expect(piped.code).toBe(0);
    expect(JSON.parse(piped.stdout)).toMatchObject({
      name: 'DATABASE_URL',
      updatedBy: { email: 'secrets.cli@example.com' },
    });
    expect(piped.stdout + piped.stderr).not.toContain('replaced');
    expect(await appReads('DATABASE_URL')).toMatchObject({
      secrets: { DATABASE_URL: 'postgres://replaced' },
    });
  });

  it('asks on a terminal without echoing what is typed', async () => {
    // `script` gives the command a terminal of its own: what it shows there is what a person would see.
    const command = `${process.execPath} ${resolve(__dirname, '..', 'bin', 'tessera.js')} secrets set TYPED_TOKEN`;
    const terminal = spawn('script', ['-qec', command, '/dev/null'], {
      env: { PATH: process.env.PATH, HOME: cli.home, TESSERA_HOST: host },
    });
    let shown = '';
    terminal.stdout.on('data', (chunk: Buffer) => (shown += chunk.toString()));
    const finished = outcome(terminal);
    await eventually(() => expect(shown).toContain('Value for TYPED_TOKEN (not shown): '));
    terminal.stdin.write('typed-by-hand\r');
    const result = await finished;
    expect(result.code).toBe(0);
    expect(shown).toContain('Set secret TYPED_TOKEN');
    expect(shown).not.toContain('typed-by-hand');
    expect(await appReads('TYPED_TOKEN')).toMatchObject({ secrets: { TYPED_TOKEN: 'typed-by-hand' } });
    await cli.run(['secrets', 'unset', 'TYPED_TOKEN']);
  });

  it('refuses a value on the command line and a bad name (exit 2), setting nothing', async () => {
    for (const args of [
      ['secrets', 'set', 'LEAKY', '--value', 'hunter2'],
      ['secrets', 'set', 'not-a-name', '--value', '-'],
      ['secrets', 'unset', 'lower'],
    ]) {
      const result = await cli.run(args, {}, 'x');
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toMatch(/^error: /m);
      expect(result.stderr).not.toMatch(/^\s+at /m);
    }
    expect((await cli.run(['secrets', 'set', 'LEAKY', '--value', 'hunter2'])).stderr).toContain('--value -');
    expect(await appReads('LEAKY')).toMatchObject({ secrets: {}, missing: ['LEAKY'] });
  });

  it('refuses an empty value (exit 2) unless --allow-empty, setting nothing', async () => {
    for (const [args, input] of [
      [['secrets', 'set', 'EMPTY_VALUE', '--value', '-'], ''],
      [['secrets', 'set', 'EMPTY_VALUE'], '\n'],
    ] as const) {
      const result = await cli.run([...args], {}, input);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toMatch(/^error: The value for EMPTY_VALUE is empty.*--allow-empty/m);
    }
    expect(await appReads('EMPTY_VALUE')).toMatchObject({ secrets: {}, missing: ['EMPTY_VALUE'] });
    const allowed = await cli.run(['secrets', 'set', 'EMPTY_VALUE', '--value', '-', '--allow-empty'], {}, '');
    expect(allowed.code).toBe(0);
    expect(await appReads('EMPTY_VALUE')).toMatchObject({ secrets: { EMPTY_VALUE: '' } });
    expect((await cli.run(['secrets', 'unset', 'EMPTY_VALUE'])).code).toBe(0);
  });

  it('lists names and who set them, and unsets', async () => {
    const listed = await cli.json<{ name: string; updatedBy: { email: string } }[]>(['secrets', 'list']);
    expect(listed.map((secret) => secret.name)).toEqual(['DATABASE_URL']);
    expect(JSON.stringify(listed)).not.toContain('postgres://');
    const table = await cli.run(['secrets', 'list']);
    expect(table.stdout).toMatch(/^NAME\s+UPDATED\s+UPDATED BY\s+CREATED$/m);
    expect(table.stdout).toMatch(/^DATABASE_URL\s+\S+.*secrets\.cli@example\.com/m);

    const unset = await cli.run(['secrets', 'unset', 'DATABASE_URL']);
    expect(unset.code).toBe(0);
    expect(unset.stdout).toContain('Deleted secret DATABASE_URL');
    expect(await appReads('DATABASE_URL')).toMatchObject({ missing: ['DATABASE_URL'] });
    const again = await cli.run(['secrets', 'unset', 'DATABASE_URL']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('(not_found');
    expect((await cli.run(['secrets', 'list'])).stderr).toContain('This account has no secrets');
  });

  it('is refused to an API key (exit 1): secrets are managed by people', async () => {
    const result = await cli.run(['secrets', 'list'], { TESSERA_KEY: appKey });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('(forbidden');
  });
});
