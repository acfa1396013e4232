/**
 * Waits, when needed, until at least `marginSeconds` are left in the current fixed window of `windowSeconds` of the
 * clock (windows start at multiples of their length since the epoch, as Tessera's rate limits count them). A test
 * that counts up to a limit starts here, so its window cannot end, and its counter reset, halfway through.
 */
export async function wellInsideWindow(windowSeconds: number, marginSeconds = 10): Promise<void> {
  const left = windowSeconds - ((Date.now() / 1000) % windowSeconds);
  if (left < marginSeconds) await new Promise((done) => setTimeout(done, (left + 0.5) * 1000));
}
