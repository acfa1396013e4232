import { execFileSync, execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NATS_USERS, SHIPPED_NATS_CONFIG, natsServerBinary } from '@tessera/testing';

const SERVICES_WITH_CALLS = ['identity', 'teams', 'keys', 'notifications'] as const;

/** Every `tessera.<service>.…` subject a service's code requests through its RPC client. */
function subjectsRequestedBy(service: string): Set<string> {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts') && !path.endsWith('.spec.ts')) {
        for (const [, subject] of readFileSync(path, 'utf8').matchAll(/request\(\s*'(tessera\.[a-z.-]+)'/g))
          found.add(subject!);
      }
    }
  };
  walk(join(__dirname, '..', 'apps', service, 'src'));
  return found;
}

/** The subjects a user of the shipped NATS configuration may publish, as written in its `allow` list. */
function publishAllowList(user: string): string[] {
  const config = readFileSync(SHIPPED_NATS_CONFIG, 'utf8');
  const block = config.slice(config.indexOf(`user: ${user}\n`));
  const allow = /publish:\s*{\s*allow:\s*\[([^\]]*)\]/.exec(block)?.[1] ?? '';
  return [...allow.matchAll(/"([^"]+)"/g)].map(([, subject]) => subject!);
}

describe('the shipped NATS configuration', () => {
  it.each(SERVICES_WITH_CALLS)(
    'lets %s request exactly the other services’ subjects its code calls',
    (service) => {
      const calls = [...subjectsRequestedBy(service)].filter(
        (subject) => !subject.startsWith(`tessera.${service}.`),
      );
      const allowed = publishAllowList(service).filter(
        (subject) =>
          /^tessera\.[a-z]+\./.test(subject) &&
          !subject.startsWith(`tessera.${service}.`) &&
          !subject.startsWith('tessera.events.'),
      );
      expect(calls.length).toBeGreaterThan(0);
      expect(allowed.sort()).toEqual(calls.sort());
    },
  );
});

describe('the README’s rewrite of the NATS configuration for another prefix', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const command = /```sh\n(sed -e [^`]*?) > acme-nats\.conf\n```/.exec(readme)?.[1];

  it('moves every subject, the stream, the users and their passwords to `acme`, and nats-server accepts it', () => {
    expect(command).toBeDefined();
    const rewritten = execSync(command!, { cwd: join(__dirname, '..'), encoding: 'utf8' });
    expect(rewritten).not.toMatch(/"tessera\.|TESSERA_EVENTS|\$TESSERA_NATS_/);
    expect([...rewritten.matchAll(/user: (\S+)/g)].map(([, user]) => user)).toEqual(
      NATS_USERS.map((user) => `acme-${user}`),
    );
    for (const user of NATS_USERS) expect(rewritten).toContain(`"_INBOX_acme-${user}.>"`);
    expect(rewritten).toContain('"acme.authz.check"');
    expect(rewritten).toContain('"$JS.API.STREAM.CREATE.ACME_EVENTS"');

    const dir = mkdtempSync(join(tmpdir(), 'tessera-nats-conf-'));
    try {
      const file = join(dir, 'acme-nats.conf');
      writeFileSync(file, rewritten);
      const passwords = Object.fromEntries(
        NATS_USERS.map((user) => [`ACME_NATS_${user.toUpperCase()}_PASSWORD`, 'x']),
      );
      // Throws (a non-zero exit) if the server refuses the file.
      execFileSync(natsServerBinary(), ['-t', '-c', file], {
        env: { ...process.env, ...passwords },
        stdio: 'pipe',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
