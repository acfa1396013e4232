/**
 * JSON with object keys sorted at every depth, so two processes that hold the same value write the same text
 * whatever order its keys were built in. It follows `JSON.stringify` otherwise (a `toJSON` method is used, an
 * `undefined` property is left out, an `undefined` array item is `null`), so a value and the value that comes out
 * of `JSON.parse(JSON.stringify(value))` on the other side of NATS give the same text.
 */
export function canonicalJson(value: unknown): string {
  return write(value) ?? 'null';
}

function write(value: unknown): string | undefined {
  const plain = hasToJson(value) ? value.toJSON() : value;
  if (plain === null || typeof plain !== 'object') return JSON.stringify(plain) as string | undefined;
  if (Array.isArray(plain)) return `[${plain.map((item) => write(item) ?? 'null').join(',')}]`;
  const members: string[] = [];
  for (const key of Object.keys(plain).sort()) {
    const text = write((plain as Record<string, unknown>)[key]);
    if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${members.join(',')}}`;
}

function hasToJson(value: unknown): value is { toJSON(): unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  );
}
