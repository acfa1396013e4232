import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SHIPPED_NATS_CONFIG } from '@tessera/testing';

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
