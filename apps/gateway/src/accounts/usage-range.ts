import {
  IsoDateTime,
  UsageInterval,
  UsageIntervalSchema,
  inUsageRange,
  parseOrThrow,
} from '@tessera/contracts';
import { z } from 'zod';

const DEFAULT_RANGE_DAYS = 30;

/** A bound of a usage range: an ISO 8601 date-time, or a date, read as its midnight UTC. */
const UsageMoment = z.union([IsoDateTime, z.iso.date().transform((day) => `${day}T00:00:00.000Z`)]);

/** The `from` and `to` of every usage report's query. */
export const UsageRangeQuery = z.strictObject({
  from: UsageMoment.optional().meta({
    description: 'ISO 8601 date or date-time; default 30 days before `to`.',
  }),
  to: UsageMoment.optional().meta({ description: 'ISO 8601 date or date-time, exclusive; default now.' }),
  interval: UsageIntervalSchema.optional().meta({
    description: 'Count by UTC `hour` (ranges of at most 31 days) or `day`; absent: over the whole range.',
  }),
});

const UsageRange = inUsageRange(
  z.object({ from: IsoDateTime, to: IsoDateTime, interval: UsageIntervalSchema.optional() }),
);

/**
 * The `[from, to)` of a usage report from its parsed query, with its buckets if asked: `to` defaults to now,
 * `from` to 30 days before `to`. The range is checked once the defaults are in, so that a `from` alone is measured
 * against now.
 */
export function usageRange({ from, to, interval }: z.output<typeof UsageRangeQuery>): {
  from: string;
  to: string;
  interval?: UsageInterval;
} {
  const end = to ?? new Date().toISOString();
  const start = from ?? new Date(Date.parse(end) - DEFAULT_RANGE_DAYS * 86_400_000).toISOString();
  return parseOrThrow(UsageRange, { from: start, to: end, interval });
}
