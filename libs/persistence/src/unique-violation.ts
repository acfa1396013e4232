import { QueryFailedError } from 'typeorm';

/** Whether a failed statement broke the named unique constraint or index (PostgreSQL's unique_violation). */
export function violatesUnique(error: unknown, constraint: string): boolean {
  const driverError =
    error instanceof QueryFailedError
      ? (error.driverError as { code?: string; constraint?: string })
      : undefined;
  return driverError?.code === '23505' && driverError.constraint === constraint;
}
