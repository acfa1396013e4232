/**
 * Retries an assertion until it passes or the time is up, for effects that happen asynchronously (a relay
 * publishing, a service reconnecting). The last failure is what the test reports.
 */
export async function eventually<T>(
  assertion: () => Promise<T> | T,
  timeoutMs = 10_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await new Promise((done) => setTimeout(done, intervalMs));
    }
  }
}
