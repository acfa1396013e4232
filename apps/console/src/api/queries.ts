import { QueryClient } from '@tanstack/react-query';
import { $api } from './client';
import { refusalOf } from './errors';

/** The console's one query cache: every page reads the API through it. */
export const queries = new QueryClient({
  defaultOptions: {
    queries: {
      // A refusal (forbidden, not found, a validation error) will not change by asking again.
      retry: (failures, error) => refusalOf(error) === undefined && failures < 2,
      staleTime: 15_000,
    },
  },
});

/**
 * Asks for what every page shows (the person and their accounts, for the header and the account switcher) before
 * React renders, so the first page's own request leaves sooner. Failures are left to the pages' own queries,
 * which retry and show them.
 */
export function prefetchEveryPage(): void {
  void queries.prefetchQuery($api.queryOptions('get', '/v1/me/accounts'));
  void queries.prefetchQuery($api.queryOptions('get', '/v1/me'));
}
