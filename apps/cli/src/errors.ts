/** The command line itself is wrong (a missing argument, an unknown team name): exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The API answered, but not everything asked for was done (e.g. rows of a CSV refused): exit code 1. */
export class CommandFailed extends Error {
  override readonly name = 'CommandFailed';
}
