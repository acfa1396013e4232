import { Injectable } from '@nestjs/common';
import { UsageBatch, UsageCount, UsageQuery, UsageRow } from '@tessera/contracts';
import { DataSource } from 'typeorm';

/**
 * Usage by (account, actor, action, hour). Gateways count allowed checks in memory and send a batch every
 * flush interval, so the database takes one transaction per gateway per interval, whatever the request rate.
 */
@Injectable()
export class UsageService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Adds a batch once: a batch id seen before (a retry after a lost reply) changes nothing. Batch ids are kept a
   * day (`UsageRetentionJob`).
   */
  async record(batch: UsageBatch): Promise<{ counted: boolean }> {
    const counts = merged(batch.counts);
    const keysUsed = batch.keysUsed ?? [];
    return this.dataSource.transaction(async (manager) => {
      const fresh = (await manager.query(
        `INSERT INTO keys.usage_batches (id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING id`,
        [batch.batchId],
      )) as unknown[];
      if (fresh.length === 0) return { counted: false };
      if (counts.length > 0) {
        await manager.query(
          `INSERT INTO keys.usage_hourly (account_id, actor_type, actor_id, action, hour, requests)
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::timestamptz[], $6::bigint[])
           ON CONFLICT (account_id, hour, actor_type, actor_id, action)
           DO UPDATE SET requests = keys.usage_hourly.requests + EXCLUDED.requests`,
          [
            counts.map((c) => c.accountId),
            counts.map((c) => c.actorType),
            counts.map((c) => c.actorId),
            counts.map((c) => c.action),
            counts.map((c) => c.hour),
            counts.map((c) => c.requests),
          ],
        );
      }
      if (keysUsed.length > 0) {
        // At most one write a minute per key, whatever the traffic: `last_used_at` is for people, not billing.
        await manager.query(
          `UPDATE keys.api_keys k SET last_used_at = u.at
             FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, at)
            WHERE k.id = u.id AND (k.last_used_at IS NULL OR k.last_used_at < u.at - interval '1 minute')`,
          [keysUsed.map((k) => k.keyId), keysUsed.map((k) => k.at)],
        );
      }
      return { counted: true };
    });
  }

  /**
   * Requests in [from, to), by actor or by action, most first; with an interval, per UTC hour or day too, the
   * periods in order (a period is the start of its bucket, which may begin before `from`).
   */
  async query({ accountId, from, to, groupBy, interval }: UsageQuery): Promise<UsageRow[]> {
    // The schema checked the range: ISO date-times, `from` before `to`, at most a year apart (a month by hour).
    const parameters: unknown[] = [accountId, new Date(from), new Date(to), ...(interval ? [interval] : [])];
    const where = `account_id = $1 AND hour >= date_trunc('hour', $2::timestamptz) AND hour < $3`;
    const bucket = interval ? `date_trunc($4::text, hour, 'UTC')` : 'NULL::timestamptz';
    const what = groupBy === 'action' ? 'action' : 'actor_type, actor_id';
    const tieBreak = groupBy === 'action' ? 'action' : 'actor_id';
    const rows = (await this.dataSource.query(
      `SELECT ${bucket} AS period, ${what}, sum(requests)::bigint AS requests FROM keys.usage_hourly
        WHERE ${where} GROUP BY period, ${what} ORDER BY period, requests DESC, ${tieBreak}`,
      parameters,
    )) as UsageSqlRow[];
    return rows.map((row) => ({
      ...(row.period ? { period: row.period.toISOString() } : {}),
      ...(groupBy === 'action'
        ? { action: row.action! }
        : { actor: { type: row.actor_type!, id: row.actor_id! } }),
      requests: Number(row.requests),
    }));
  }
}

interface UsageSqlRow {
  period: Date | null;
  action?: string;
  actor_type?: 'member' | 'key';
  actor_id?: string;
  requests: string;
}

/** One row per (account, actor, action, hour): an upsert may not touch the same row twice. */
function merged(counts: UsageCount[]): UsageCount[] {
  const byKey = new Map<string, UsageCount>();
  for (const count of counts) {
    const hour = new Date(count.hour);
    hour.setUTCMinutes(0, 0, 0);
    const row = { ...count, hour: hour.toISOString() };
    const key = [row.accountId, row.actorType, row.actorId, row.action, row.hour].join('|');
    const seen = byKey.get(key);
    if (seen) seen.requests += row.requests;
    else byKey.set(key, row);
  }
  return [...byKey.values()];
}
