import { dirname } from 'node:path';
import { SsoFailedError } from '../identity.errors';
import { parseStrictXml } from './saml-xml';

/** Where `@xmldom/xmldom` resolves from a package's own folder: the copy that package really loads. */
function xmldomLoadedBy(packageName?: string): string {
  const from = packageName ? [dirname(require.resolve(`${packageName}/package.json`))] : [process.cwd()];
  return require.resolve('@xmldom/xmldom', { paths: from });
}

function refusal(xml: string): string | undefined {
  try {
    parseStrictXml(xml);
    return undefined;
  } catch (error) {
    return error instanceof SsoFailedError ? error.reason : String(error);
  }
}

describe('SAML XML parsing', () => {
  it('reads every SAML document with one xmldom: the same copy for Tessera, node-saml and xml-crypto', () => {
    const ours = xmldomLoadedBy();
    expect(xmldomLoadedBy('@node-saml/node-saml')).toBe(ours);
    expect(xmldomLoadedBy('xml-crypto')).toBe(ours);
  });

  it('refuses what a lenient parser would repair: unbalanced tags, unknown entities, text after the root', () => {
    expect(refusal('<a><b/></a>')).toBeUndefined();
    expect(refusal('<a></b>')).toBe('malformed');
    expect(refusal('<a>')).toBe('malformed');
    expect(refusal('<a>&unknown;</a>')).toBe('malformed');
    expect(refusal('<a/>trailing')).toBe('malformed');
    expect(refusal('<a/><b/>')).toBe('multiple_roots');
  });
});
