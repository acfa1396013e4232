import { BlockList, isIP } from 'node:net';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** 127.0.0.0/8 or ::1, also when written as an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`, as sockets report it). */
export function isLoopbackAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const ip = mapped ?? address;
  const version = isIP(ip);
  return version !== 0 && LOOPBACK.check(ip, version === 4 ? 'ipv4' : 'ipv6');
}

/** A URL's host that only this machine can reach: `localhost`, 127.0.0.0/8 or `[::1]`. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return host === 'localhost' || isLoopbackAddress(host);
}

/**
 * Why the development shortcuts (the embedded sign-in provider and mail catcher of a first run) may not run with
 * these settings, or undefined when they may: never in production, and never where anyone but this machine could
 * reach Tessera, since anybody could then sign in as anyone.
 */
export function developmentRefusal(settings: { nodeEnv?: string; publicUrl: string }): string | undefined {
  if (settings.nodeEnv === 'production') return 'NODE_ENV is production';
  let hostname: string;
  try {
    hostname = new URL(settings.publicUrl).hostname;
  } catch {
    return 'TESSERA_PUBLIC_URL is not a URL';
  }
  if (!isLoopbackHost(hostname)) return `TESSERA_PUBLIC_URL (${hostname}) is not a loopback address`;
  return undefined;
}
