import { createPrivateKey } from 'node:crypto';
import { isIP } from 'node:net';

/** One environment variable: its name, how to read it, its default and what it is for (rendered into the README). */
export interface Variable<T> {
  readonly name: string;
  readonly description: string;
  /** The default as a user would write it in the environment; undefined means the variable is required. */
  readonly defaultValue?: string;
  /** Turns the raw text into a value, or throws an Error whose message says what is expected. */
  readonly parse: (raw: string) => T;
  readonly optional?: boolean;
  /** Never echoed in error messages. */
  readonly secret?: boolean;
}

/** A variable that may stay unset: its value is then `undefined` and the feature it enables is off. */
export function optionalVariable<T>(
  name: string,
  parse: (raw: string) => T,
  options: { description: string; secret?: boolean },
): Variable<T | undefined> {
  return { name, parse, description: options.description, optional: true, secret: options.secret };
}

export type VariableSpec = Record<string, Variable<unknown>>;
export type ConfigOf<S extends VariableSpec> = {
  readonly [K in keyof S]: S[K] extends Variable<infer T> ? T : never;
};

export function variable<T>(
  name: string,
  parse: (raw: string) => T,
  options: { default?: string; description: string; secret?: boolean },
): Variable<T> {
  return {
    name,
    parse,
    defaultValue: options.default,
    description: options.description,
    secret: options.secret,
  };
}

export function integer(min: number, max: number): (raw: string) => number {
  return (raw) => {
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw.trim()) || value < min || value > max) {
      throw new Error(`must be a whole number from ${min} to ${max}`);
    }
    return value;
  };
}

export function url(...protocols: string[]): (raw: string) => string {
  return (raw) => {
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new Error(`must be a URL (${protocols.map((p) => `${p}//…`).join(' or ')})`);
    }
    if (!protocols.includes(parsed.protocol)) {
      throw new Error(`must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
    }
    return raw;
  };
}

/** The non-empty items of a comma-separated value, trimmed. */
function commaSeparated(raw: string): string[] {
  return raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/** A comma-separated list of URLs, as NATS takes for a cluster. */
export function urlList(...protocols: string[]): (raw: string) => string[] {
  const one = url(...protocols);
  return (raw) => commaSeparated(raw).map(one);
}

/**
 * A comma-separated list of IP addresses, each with an optional port, as DNS resolvers take them:
 * `192.0.2.53`, `192.0.2.53:5353`, `[2001:db8::53]:53`. Resolvers need addresses, so host names are refused.
 */
export function ipEndpointList(raw: string): string[] {
  const endpoints = commaSeparated(raw);
  if (endpoints.length === 0 || !endpoints.every(isIpEndpoint)) {
    throw new Error(
      'must be IP addresses with optional ports, comma-separated, e.g. `192.0.2.53:53,[2001:db8::53]`',
    );
  }
  return endpoints;
}

function isIpEndpoint(endpoint: string): boolean {
  const match = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d{1,5}))?$/.exec(endpoint);
  if (!match) return false;
  const [, bracketed, plain, port] = match;
  const addressOk = bracketed !== undefined ? isIP(bracketed) === 6 : isIP(plain) === 4;
  return addressOk && (port === undefined || (Number(port) >= 1 && Number(port) <= 65_535));
}

const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * The proxies whose `X-Forwarded-For` the gateway believes, as Express's `trust proxy` takes them: IP addresses,
 * CIDR ranges (`10.0.0.0/8`) and the names `loopback`, `linklocal`, `uniquelocal`, comma-separated. Host names are
 * refused: a proxy is recognized by the address its connection comes from.
 */
export function proxyList(raw: string): string[] {
  const entries = commaSeparated(raw);
  if (entries.length === 0 || !entries.every(isProxyEntry)) {
    throw new Error(
      'must be IP addresses, CIDR ranges or `loopback`, `linklocal`, `uniquelocal`, comma-separated, e.g. `loopback,10.0.0.0/8`',
    );
  }
  return entries;
}

function isProxyEntry(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && bits <= (version === 4 ? 32 : 128);
}

export function oneOf<T extends string>(...values: T[]): (raw: string) => T {
  return (raw) => {
    if (!(values as string[]).includes(raw)) throw new Error(`must be one of ${values.join(', ')}`);
    return raw as T;
  };
}

export function text(pattern: RegExp, expectation: string): (raw: string) => string {
  return (raw) => {
    if (!pattern.test(raw)) throw new Error(`must be ${expectation}`);
    return raw;
  };
}

export function secret(minLength: number): (raw: string) => string {
  return (raw) => {
    if (raw.length < minLength) throw new Error(`must be at least ${minLength} characters`);
    return raw;
  };
}

/** Comma-separated secrets, each at least `minLength` characters (older root secrets kept during a rotation). */
export function secretList(minLength: number): (raw: string) => string[] {
  const one = secret(minLength);
  return (raw) => commaSeparated(raw).map(one);
}

/** PEM text, also accepted with its line breaks written as `\n` (as env files and compose often carry it). */
export function ed25519PrivateKey(raw: string): string {
  const pem = raw.replace(/\\n/g, '\n');
  let key;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new Error('must be a PEM private key');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('must be an Ed25519 key');
  return pem;
}
