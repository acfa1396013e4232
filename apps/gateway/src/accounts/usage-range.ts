import { IsoDateTime, inUsageRange, parseOrThrow } from '@tessera/contracts';
import { z } from 'zod';

const DEFAULT_RANGE_DAYS = 30;

const RangeEnd = IsoDateTime.default(() => new Date().toISOString());
const UsageRange = inUsageRange(z.object({ from: IsoDateTime, to: IsoDateTime }));

/**
 * The `[from, to)` of a usage report from its query: `to` defaults to now, `from` to 30 days before `to`. The
 * range is checked once the defaults are in, so that a `from` alone is measured against now.
 */
export function usageRange(from: unknown, to: unknown): { from: string; to: string } {
  const end = parseOrThrow(RangeEnd, to, 'to');
  const start = from ?? new Date(Date.parse(end) - DEFAULT_RANGE_DAYS * 86_400_000).toISOString();
  return parseOrThrow(UsageRange, { from: start, to: end });
}
