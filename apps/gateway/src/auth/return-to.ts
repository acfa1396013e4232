const MAX_LENGTH = 2048;

/**
 * Where to send the browser after sign-in: only a path on this origin. Anything that a browser could read as
 * another origin (`//host`, `/\host`, a scheme), climb out of the path (`..`), or smuggle control characters
 * falls back to `/` — checked on the decoded text too, since browsers decode before they navigate.
 */
export function safeReturnTo(candidate: unknown): string {
  if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > MAX_LENGTH) return '/';
  let decoded: string;
  try {
    decoded = decodeURIComponent(candidate);
  } catch {
    return '/';
  }
  for (const text of [candidate, decoded]) {
    if (!text.startsWith('/') || text.startsWith('//') || text.includes('\\')) return '/';
    if ([...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return '/';
    if (text.split(/[/?#]/).some((segment) => segment === '..' || segment === '.')) return '/';
  }
  const resolved = new URL(candidate, 'http://tessera.invalid');
  return resolved.origin === 'http://tessera.invalid'
    ? `${resolved.pathname}${resolved.search}${resolved.hash}`
    : '/';
}
