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

  it('names invoices, payment methods and credit purchases only as not available yet', () => {
    // Paragraphs, and each table row on its own: a claim and its qualification must sit together.
    const units = readme
      .split(/\n\s*\n/)
      .flatMap((part) => (part.startsWith('|') ? part.split('\n') : [part]));
    const billing = units.filter((unit) => /invoice|payment method|credit purchase/i.test(unit));
    expect(billing.length).toBeGreaterThan(0);
    for (const unit of billing) expect(unit).toMatch(/not (available|part of Tessera) yet/);
  });

  it('says that Tessera decides the apps.* actions other services ask about, and deploys nothing itself', () => {
    expect(readme).toContain('Tessera itself serves no model and deploys no app');
    expect(readme).not.toMatch(/teams\*\* \(their own API keys, apps/);
  });

  it('names the two commands a newcomer types', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
  });
});
