/** Rejects with "no answer within N ms" if the promise has not settled by then; the timer never outlives it. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Runs a check and reports it as up or down with the reason, never throwing. */
export async function checkStatus(
  check: () => Promise<unknown>,
  ms: number,
): Promise<{ status: 'up' | 'down'; error?: string }> {
  try {
    await withTimeout(check(), ms);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', error: error instanceof Error ? error.message : String(error) };
  }
}
