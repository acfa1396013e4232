/**
 * The API's rule for a secret's name (an environment variable name), checked in the form so a person reads what
 * to change before anything is sent. The API checks it again and answers the same rule if this ever drifts.
 */
const SECRET_NAME = /^[A-Z_][A-Z0-9_]{0,127}$/;

/** Why `name` can't be a secret's name, in plain words; `undefined` when it can. */
export function secretNameProblem(name: string): string | undefined {
  if (name === '') return 'Enter a name.';
  if (SECRET_NAME.test(name)) return undefined;
  if (name.length > 128) return 'A name is at most 128 characters.';
  if (/^[0-9]/.test(name)) return 'A name can’t start with a digit.';
  const upper = name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  const suggestion = SECRET_NAME.test(upper) ? ` For example ${upper}.` : '';
  return `Use capital letters A–Z, digits and _ only, as in an environment variable name.${suggestion}`;
}
