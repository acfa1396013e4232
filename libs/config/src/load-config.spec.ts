import { ConfigError, loadConfig } from './load-config';
import { allVariables, commonVariables, secretKeys } from './tessera-variables';
import { configTable } from './config-table';

const SECRET = { TESSERA_SECRET_KEY: 'x'.repeat(32) };

describe('loadConfig', () => {
  it('falls back to defaults that point at the local services', () => {
    const config = loadConfig(allVariables, SECRET);
    expect(config).toMatchObject({
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/tessera',
      natsUrls: ['nats://127.0.0.1:4222'],
      redisUrl: 'redis://127.0.0.1:6379',
      httpPort: 3000,
      rpcTimeoutMs: 5000,
    });
  });

  it('requires what has no default and leaves optional variables undefined', () => {
    expect(() => loadConfig(allVariables, {})).toThrow(/TESSERA_SECRET_KEY: is required/);
    expect(loadConfig(allVariables, SECRET).githubClientId).toBeUndefined();
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig(commonVariables, { TESSERA_RPC_TIMEOUT_MS: '' }).rpcTimeoutMs).toBe(5000);
  });

  it('reads lists and numbers', () => {
    const config = loadConfig(allVariables, {
      ...SECRET,
      TESSERA_NATS_URL: 'nats://a:4222, nats://b:4222',
      TESSERA_HTTP_PORT: '8080',
    });
    expect(config.natsUrls).toEqual(['nats://a:4222', 'nats://b:4222']);
    expect(config.httpPort).toBe(8080);
  });

  it('reads DNS servers as IP addresses with optional ports, and refuses host names', () => {
    const servers = '192.0.2.53, 127.0.0.1:5353,[2001:db8::53]:53';
    expect(loadConfig(allVariables, { ...SECRET, TESSERA_DNS_SERVERS: servers }).dnsServers).toEqual([
      '192.0.2.53',
      '127.0.0.1:5353',
      '[2001:db8::53]:53',
    ]);
    expect(loadConfig(allVariables, SECRET).dnsServers).toBeUndefined();
    for (const bad of ['dns.example.com', '192.0.2.53:0', '2001:db8::53', '192.0.2.53:99999', ',']) {
      expect(() => loadConfig(allVariables, { ...SECRET, TESSERA_DNS_SERVERS: bad })).toThrow(
        /TESSERA_DNS_SERVERS: must be IP addresses/,
      );
    }
  });

  it('reads trusted proxies as addresses, CIDR ranges and range names, loopback by default', () => {
    expect(loadConfig(allVariables, SECRET).trustedProxies).toEqual(['loopback']);
    const proxies = ' 10.0.0.0/8, 192.0.2.7 ,2001:db8::/32,uniquelocal';
    expect(loadConfig(allVariables, { ...SECRET, TESSERA_TRUSTED_PROXIES: proxies }).trustedProxies).toEqual([
      '10.0.0.0/8',
      '192.0.2.7',
      '2001:db8::/32',
      'uniquelocal',
    ]);
    for (const bad of [
      'lb.example.com',
      '10.0.0.0/33',
      '2001:db8::/129',
      '10.0.0.0/8/1',
      '10.0.0.0/',
      ',',
      'true',
    ]) {
      expect(() => loadConfig(allVariables, { ...SECRET, TESSERA_TRUSTED_PROXIES: bad })).toThrow(
        /TESSERA_TRUSTED_PROXIES: must be IP addresses, CIDR ranges/,
      );
    }
  });

  it('takes a NATS prefix of one lowercase subject token, `tessera` by default', () => {
    expect(loadConfig(commonVariables, {}).natsPrefix).toBe('tessera');
    expect(loadConfig(commonVariables, { TESSERA_NATS_PREFIX: 'acme-prod_2' }).natsPrefix).toBe(
      'acme-prod_2',
    );
    // Dots would let one installation's subjects nest in another's; wildcards and capitals are refused too.
    for (const prefix of ['acme.prod', '.acme', 'acme.', 'acme.*', '>', 'Acme', 'a b', 'x'.repeat(33)])
      expect(() => loadConfig(commonVariables, { TESSERA_NATS_PREFIX: prefix })).toThrow(
        /TESSERA_NATS_PREFIX: must be one subject token/,
      );
  });

  it('reports every bad variable, one line each, naming it and what it expects', () => {
    let error: unknown;
    try {
      loadConfig(allVariables, {
        TESSERA_HTTP_PORT: 'eighty',
        TESSERA_DATABASE_URL: 'mysql://localhost/tessera',
        TESSERA_NATS_URL: 'not a url',
        TESSERA_LOG_LEVEL: 'loud',
        TESSERA_RPC_TIMEOUT_MS: '5',
        TESSERA_SECRET_KEY: 'too-short-secret',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(6);
    expect(problems).toEqual(
      expect.arrayContaining([
        'TESSERA_HTTP_PORT: must be a whole number from 1 to 65535 (got "eighty")',
        'TESSERA_DATABASE_URL: must start with postgres:// or postgresql:// (got "mysql://localhost/tessera")',
        'TESSERA_NATS_URL: must be a URL (nats://… or tls://…) (got "not a url")',
        'TESSERA_LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
        'TESSERA_RPC_TIMEOUT_MS: must be a whole number from 100 to 60000 (got "5")',
        'TESSERA_SECRET_KEY: must be at least 32 characters',
      ]),
    );
    expect(problems.join('\n')).not.toContain('too-short-secret');
  });

  it('reads previous secrets as a list and gives every secret once, the current one first', () => {
    const previous = `${'p'.repeat(32)}, ${'q'.repeat(40)}`;
    const config = loadConfig(allVariables, { ...SECRET, TESSERA_SECRET_KEY_PREVIOUS: previous });
    expect(config.secretKeyPrevious).toEqual(['p'.repeat(32), 'q'.repeat(40)]);
    expect(secretKeys(config)).toEqual(['x'.repeat(32), 'p'.repeat(32), 'q'.repeat(40)]);
    expect(secretKeys({ secretKey: 'x'.repeat(32), secretKeyPrevious: ['x'.repeat(32)] })).toEqual([
      'x'.repeat(32),
    ]);
    expect(secretKeys(loadConfig(allVariables, SECRET))).toEqual(['x'.repeat(32)]);
    expect(() =>
      loadConfig(allVariables, {
        ...SECRET,
        TESSERA_SECRET_KEY_PREVIOUS: `${'p'.repeat(32)},short-old-secret`,
      }),
    ).toThrow(
      /^(?![\s\S]*short-old-secret)[\s\S]*TESSERA_SECRET_KEY_PREVIOUS: must be at least 32 characters/,
    );
  });

  it('renders the README table from the same definitions', () => {
    const table = configTable(allVariables).split('\n');
    expect(table[0]).toMatch(/^\| Variable +\| Default +\| Meaning +\|$/);
    expect(table).toHaveLength(2 + Object.keys(allVariables).length);
    expect(table).toContainEqual(expect.stringMatching(/^\| `TESSERA_HTTP_PORT` +\| `3000` +\| Port /));
  });
});
