import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { allVariables, gatewayProcessVariables } from '@tessera/config';

const compose = readFileSync(resolve(__dirname, '..', 'docker-compose.yml'), 'utf8');

/**
 * Variables the compose file leaves out on purpose: the image sets `NODE_ENV=production`, which refuses the
 * development shortcuts of a first run (`npm start`) whatever they are set to.
 */
const NOT_FOR_CONTAINERS = ['NODE_ENV', 'TESSERA_DEVELOPMENT_SIGN_IN', 'TESSERA_DEVELOPMENT_MAIL_DIR'];

/** The text of one service's block: from `  <name>:` to the next service or the end of `services:`. */
function serviceBlock(name: string): string {
  const match = new RegExp(`\\n  ${name}:\\n((?:    .*\\n|\\s*\\n)*)`).exec(compose);
  if (!match) throw new Error(`no service ${name} in docker-compose.yml`);
  return match[1];
}

/** The text of an `x-…` block: its anchor line and the indented lines under it. */
function extensionBlock(name: string): string {
  const match = new RegExp(`\\n${name}: [^\\n]*\\n((?:  .*\\n)*)`).exec(compose);
  if (!match) throw new Error(`no ${name} in docker-compose.yml`);
  return match[1];
}

/** What an operator runs is what was reviewed: the compose file's promises, checked on its text. */
describe('docker-compose.yml', () => {
  it('passes every documented variable through to the processes that read it', () => {
    const missing = Object.values(allVariables)
      .map(({ name }) => name)
      .filter((name) => !NOT_FOR_CONTAINERS.includes(name))
      .filter((name) => !new RegExp(`^ +${name}: `, 'm').test(compose));
    expect(missing).toEqual([]);
  });

  it('gives the gateway everything it reads but no database', () => {
    const gateway = serviceBlock('gateway');
    const shared = extensionBlock('x-tessera-environment');
    const missing = Object.values(gatewayProcessVariables)
      .map(({ name }) => name)
      .filter((name) => !NOT_FOR_CONTAINERS.includes(name))
      .filter((name) => !new RegExp(`^ +${name}: `, 'm').test(gateway + shared));
    expect(missing).toEqual([]);
    expect(`${gateway}${shared}`).not.toMatch(/TESSERA_DATABASE_URL|service-environment|postgres:/);
  });

  it('pins every image to an exact version', () => {
    const images = [...compose.matchAll(/^ +image: (\S+)$/gm)].map(([, image]) => image);
    const thirdParty = images.filter((image) => !image.startsWith('tessera:'));
    expect(thirdParty.map((image) => image.split(':')[0]).sort()).toEqual(
      ['axllent/mailpit', 'grafana/grafana', 'nats', 'postgres', 'prom/prometheus', 'redis'].sort(),
    );
    // A release, not a line: PostgreSQL numbers its releases major.minor, the others major.minor.patch.
    for (const image of thirdParty)
      expect(image).toMatch(image.startsWith('postgres:') ? /:\d+\.\d+-\w+$/ : /:v?\d+\.\d+\.\d+(-\w+)?$/);
  });

  it('runs each Tessera service under an init, with a grace period and a health check that boots no Node', () => {
    const service = extensionBlock('x-tessera-service');
    expect(service).toMatch(/^ {2}init: true$/m);
    expect(service).toMatch(/^ {2}stop_grace_period: \d+s$/m);
    expect(compose).not.toMatch(/'CMD', 'node'/);
    for (const name of ['gateway', 'identity', 'teams', 'keys', 'notifications'])
      expect(serviceBlock(name)).toMatch(/^ {4}<<: \*tessera-service$/m);
  });
});
