const DEFAULT_RANGE_DAYS = 30;

/** The `[from, to)` of a usage report from its query: `to` defaults to now, `from` to 30 days before `to`. */
export function usageRange(from: unknown, to: unknown): { from: string; to: string } {
  const end = typeof to === 'string' ? to : new Date().toISOString();
  const start =
    typeof from === 'string'
      ? from
      : new Date(Date.parse(end) - DEFAULT_RANGE_DAYS * 86_400_000).toISOString();
  return { from: start, to: end };
}
