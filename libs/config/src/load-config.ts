import { ConfigOf, VariableSpec } from './variable';

/** Every problem found in the environment, one line per variable, so a operator fixes them all in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Environment = Record<string, string | undefined>;

/**
 * Reads and validates every variable of the spec at once. An empty value counts as unset, so that
 * `TESSERA_X=` in a compose file falls back to the default instead of failing on "".
 */
export function loadConfig<S extends VariableSpec>(
  spec: S,
  environment: Environment = process.env,
): ConfigOf<S> {
  const problems: string[] = [];
  const config: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(spec)) {
    const given = environment[variable.name];
    const raw = given === undefined || given === '' ? variable.defaultValue : given;
    if (raw === undefined && variable.optional) {
      config[key] = undefined;
      continue;
    }
    if (raw === undefined) {
      problems.push(`${variable.name}: is required (${variable.description})`);
      continue;
    }
    try {
      config[key] = variable.parse(raw);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      problems.push(`${variable.name}: ${reason}${variable.secret ? '' : ` (got ${JSON.stringify(given)})`}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config as ConfigOf<S>;
}

/** For process entry points: a bad environment ends the process with one line per variable and no stack trace. */
export function loadConfigOrExit<S extends VariableSpec>(spec: S, environment?: Environment): ConfigOf<S> {
  try {
    return loadConfig(spec, environment);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

/** The process environment over the given fallbacks (e.g. a development secret made by `npm start`). */
export function environmentWith(fallbacks: Record<string, string>): Environment {
  const environment: Environment = { ...fallbacks };
  for (const [name, value] of Object.entries(process.env))
    if (value !== undefined && value !== '') environment[name] = value;
  return environment;
}
