import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { roleTable, scopeTable } from '@tessera/authz';
import { allVariables, configTable } from '@tessera/config';

/** The README is part of the product: its commands and its configuration table must match the code. */
describe('README', () => {
  const readme = readFileSync(resolve(__dirname, '..', 'README.md'), 'utf8');

  it('shows the configuration table generated from the variable definitions', () => {
    expect(readme).toContain(configTable(allVariables));
  });

  it('shows the role table generated from the role matrix', () => {
    expect(readme).toContain(roleTable());
  });

  it('shows the scope table generated from the resource actions', () => {
    expect(readme).toContain(scopeTable());
  });

  it('names the two commands a newcomer types', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
  });
});
