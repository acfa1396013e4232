import { randomToken } from '@tessera/runtime';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

/**
 * Large lists for the console's tables, written straight into the services' tables (a bench may; the API would
 * take minutes for a thousand invitations): members are identity users with a teams membership, keys are
 * `keys.api_keys` rows each with a current secret, as a created key leaves them.
 */
export async function seedMembers(databaseUrl: string, teamId: string, count: number): Promise<void> {
  await inTransaction(databaseUrl, async (client) => {
    const ids = Array.from({ length: count }, () => randomUUID());
    const emails = ids.map((_, i) => `member-${i}-${randomToken(4).toLowerCase()}@bench.test`);
    const names = ids.map((_, i) => `Member ${i}`);
    await client.query(
      'INSERT INTO identity.users (id, email, name) SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[])',
      [ids, emails, names],
    );
    await client.query(
      `INSERT INTO teams.memberships (account_id, user_id, role) SELECT $1, id, 'developer' FROM unnest($2::uuid[]) AS id`,
      [teamId, ids],
    );
  });
}

export async function seedKeys(
  databaseUrl: string,
  accountId: string,
  createdBy: string,
  count: number,
): Promise<void> {
  await inTransaction(databaseUrl, async (client) => {
    const ids = Array.from({ length: count }, () => randomUUID());
    await client.query(
      `INSERT INTO keys.api_keys (id, account_id, name, scope, created_by_user_id)
       SELECT id, $1, 'Key ' || ordinality, 'API', $2 FROM unnest($3::uuid[]) WITH ORDINALITY AS id`,
      [accountId, createdBy, ids],
    );
    // The hash only has to be unique: nobody presents these keys.
    await client.query(
      `INSERT INTO keys.key_secrets (hash, key_id, prefix, last4)
       SELECT md5(random()::text || id::text), id, 'tsk_bench', right(md5(id::text), 4) FROM unnest($1::uuid[]) AS id`,
      [ids],
    );
  });
}

async function inTransaction(databaseUrl: string, work: (client: Client) => Promise<void>): Promise<void> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query('BEGIN');
    await work(client);
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}
