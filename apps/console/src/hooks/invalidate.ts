import { useQueryClient } from '@tanstack/react-query';
import type { paths } from '@tessera/api';

/**
 * Marks every cached answer of the given API routes stale (all their parameters): a mutation names the lists it
 * changes. Query keys are `[method, path, init]` (openapi-react-query), so a route's path matches them all.
 */
export function useInvalidate() {
  const client = useQueryClient();
  return (...routes: (keyof paths)[]) =>
    Promise.all(routes.map((path) => client.invalidateQueries({ queryKey: ['get', path] })));
}
