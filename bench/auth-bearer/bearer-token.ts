import { randomToken, sha256 } from '@tessera/runtime';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

/** identity's refresh-token prefix (private to apps/identity); identity refuses a token without it. */
const REFRESH_TOKEN_PREFIX = 'tsr_';

export interface BenchUser {
  id: string;
  email: string;
  name: string;
}

export interface SignedInUser {
  user: BenchUser;
  accessToken: string;
}

/**
 * A user with a Bearer access token, without a browser or an identity provider: the user, a session and its
 * refresh token go straight into identity's tables (as a sign-in would leave them), and the refresh token is
 * then exchanged at the real `POST /auth/token`, so the access token is issued and signed the usual way.
 */
export async function signInBenchUser(gatewayUrl: string, databaseUrl: string): Promise<SignedInUser> {
  const user: BenchUser = {
    id: randomUUID(),
    email: `bench-${randomToken(6).toLowerCase()}@example.test`,
    name: 'Bench User',
  };
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  let refreshToken: string;
  try {
    await client.query('BEGIN');
    await client.query('INSERT INTO identity.users (id, email, name) VALUES ($1, $2, $3)', [
      user.id,
      user.email,
      user.name,
    ]);
    refreshToken = await insertSession(client, user.id);
    await client.query('COMMIT');
  } finally {
    await client.end();
  }

  const response = await fetch(`${gatewayUrl}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refresh_token: refreshToken }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json().catch(() => undefined)) as { access_token?: unknown } | undefined;
  if (response.status !== 200 || typeof body?.access_token !== 'string') {
    throw new Error(`POST /auth/token answered ${response.status}: ${JSON.stringify(body)}`);
  }
  return { user, accessToken: body.access_token };
}

/**
 * Another session of an existing user, as a sign-in would leave it: its refresh token (the browser's session
 * cookie, or the body of `POST /auth/token`).
 */
export async function openBenchSession(databaseUrl: string, userId: string): Promise<string> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query('BEGIN');
    const refreshToken = await insertSession(client, userId);
    await client.query('COMMIT');
    return refreshToken;
  } finally {
    await client.end();
  }
}

async function insertSession(client: Client, userId: string): Promise<string> {
  const sessionId = randomUUID();
  const refreshToken = `${REFRESH_TOKEN_PREFIX}${randomToken(32)}`;
  await client.query(
    `INSERT INTO identity.sessions (id, user_id, expires_at) VALUES ($1, $2, now() + interval '1 day')`,
    [sessionId, userId],
  );
  // Stored the way identity stores it (the same function), so the exchange finds it.
  await client.query('INSERT INTO identity.refresh_tokens (token_hash, session_id) VALUES ($1, $2)', [
    sha256(refreshToken),
    sessionId,
  ]);
  return refreshToken;
}
