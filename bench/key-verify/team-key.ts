import { signInBenchUser } from '../auth-bearer/bearer-token';
import { TesseraStack } from '../lib/tessera-stack';

/** A team of a fresh bench user, and an API key of that team (what a model-serving client would hold). */
export async function createTeamKey(
  stack: TesseraStack,
): Promise<{ teamId: string; userId: string; key: string }> {
  const { accessToken, user } = await signInBenchUser(stack.url, stack.databaseUrl);
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${stack.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
    return response.json() as Promise<Record<string, unknown>>;
  };
  const team = await post('/v1/teams', { name: 'Key bench' });
  const issued = await post(`/v1/accounts/${team.id as string}/keys`, { name: 'bench', scope: 'API' });
  return { teamId: team.id as string, userId: user.id, key: issued.secret as string };
}
