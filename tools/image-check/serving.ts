import { ServiceName } from '@tessera/contracts';
import { ServiceProcess } from './service-process';

const POLL_MS = 500;

/**
 * Resolves once the gateway answers `/health/live`, then `/health/ready`, and reports each service up at
 * `/health/services/<service>` (asked over NATS, so the service itself answered). Rejects as soon as a process
 * exits, or at the deadline, saying what was still missing.
 */
export async function waitUntilServing(
  gateway: string,
  services: readonly ServiceName[],
  processes: ServiceProcess[],
  withinMs: number,
  progress: (line: string) => void,
): Promise<void> {
  const started = Date.now();
  const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const waitFor = async (what: string, answered: () => Promise<string | undefined>): Promise<void> => {
    let last = 'no answer yet';
    for (;;) {
      const dead = processes.find((process) => process.ended);
      if (dead) throw new Error(`${dead.name} exited (${dead.ended}) while waiting for ${what}.`);
      if (Date.now() - started > withinMs)
        throw new Error(`${what} did not come within ${withinMs / 1000} s (last: ${last}).`);
      const problem = await answered().catch((error: unknown) => (error as Error).message);
      if (problem === undefined) return progress(`${what} after ${elapsed()}`);
      last = problem;
      await new Promise((done) => setTimeout(done, POLL_MS));
    }
  };
  const status = async (path: string): Promise<string | undefined> => {
    const response = await fetch(`${gateway}${path}`, { signal: AbortSignal.timeout(5000) });
    return response.status === 200 ? undefined : `${response.status} ${await response.text()}`;
  };

  await waitFor('GET /health/live 200', () => status('/health/live'));
  await waitFor('GET /health/ready 200', () => status('/health/ready'));
  for (const service of services) {
    await waitFor(`${service} up`, async () => {
      const response = await fetch(`${gateway}/health/services/${service}`, {
        signal: AbortSignal.timeout(5000),
      });
      const body = (await response.json()) as { status?: string };
      return response.status === 200 && body.status === 'up'
        ? undefined
        : `${response.status} ${JSON.stringify(body)}`;
    });
  }
}
