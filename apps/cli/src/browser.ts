/**
 * Opens the URL in the person's browser when there is one to open (a terminal session, not CI or a pipe).
 * Failing to open is fine: the URL is printed anyway.
 */
export async function openInBrowser(url: string): Promise<void> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return;
  try {
    const { default: open } = await import('open');
    await open(url);
  } catch {
    // No browser on this machine: the person opens the printed URL.
  }
}
