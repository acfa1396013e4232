import { isUuid } from '@tessera/contracts';
import { UsageError } from './errors';

/**
 * Finds one item named on the command line by its id or by another field people remember (an e-mail, a name).
 * `noun` names the thing in errors; `listCommand` says how to see them all.
 */
export function pick<T>(
  items: T[],
  reference: string,
  fields: { id: (item: T) => string; label: (item: T) => string | null },
  noun: string,
  listCommand: string,
): T {
  const wanted = reference.toLowerCase();
  const matches = isUuid(reference)
    ? items.filter((item) => fields.id(item) === reference)
    : items.filter((item) => fields.label(item)?.toLowerCase() === wanted);
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) throw new UsageError(`No ${noun} "${reference}": "${listCommand}" lists them.`);
  throw new UsageError(
    `Several ${noun}s match "${reference}": use an id (${matches.map(fields.id).join(', ')}).`,
  );
}
