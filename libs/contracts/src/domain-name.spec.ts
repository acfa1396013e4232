import { checkDomainName, emailDomain } from './domain-name';

describe('checkDomainName', () => {
  it.each([
    ['acme.com', 'acme.com'],
    ['  ACME.Test. ', 'acme.test'],
    ['eu.mail.acme.co.uk', 'eu.mail.acme.co.uk'],
    ['Bücher.example', 'xn--bcher-kva.example'],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['a-b.xn--p1ai', 'a-b.xn--p1ai'],
    [`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`, expect.any(String)],
  ])('keeps %j as %j', (input, domain) => {
    expect(checkDomainName(input)).toEqual({ valid: true, domain });
  });

  it.each([
    ['*.acme.test', /Wildcards/],
    ['127.0.0.1', /IP address/],
    ['0x7f.1', /IP address/],
    ['[::1]', /IP address/],
    ['acme', /not a domain name/],
    ['-x.test', /not a domain name/],
    ['x-.test', /not a domain name/],
    ['a..test', /not a domain name/],
    ['under_score.test', /not a domain name/],
    ['acme.123', /not a domain name/],
    ['acme.com/path', /not a domain name/],
    ['acme.com?x', /not a domain name/],
    ['acme.com:443', /not a domain name/],
    ['exa mple.com', /not a domain name/],
    ['user@acme.com', /not a domain name/],
    [`${'a'.repeat(64)}.test`, /not a domain name/],
    [`${'a.'.repeat(126)}test`, /1 to 253 characters/],
    ['', /1 to 253 characters/],
    [42, /must be a domain name/],
    [undefined, /must be a domain name/],
  ])('refuses %j', (input, problem) => {
    const check = checkDomainName(input);
    expect(check.valid).toBe(false);
    expect(!check.valid && check.problem).toMatch(problem);
  });
});

describe('emailDomain', () => {
  it('takes the part after the last @, normalized like a claim', () => {
    expect(emailDomain('Someone@ACME.test')).toBe('acme.test');
    expect(emailDomain('"a@b"@acme.test')).toBe('acme.test');
    expect(emailDomain('someone@Bücher.example')).toBe('xn--bcher-kva.example');
  });

  it('answers undefined without a usable domain', () => {
    for (const email of ['someone', '@acme.test', 'someone@', 'someone@127.0.0.1', 'someone@localhost'])
      expect(emailDomain(email)).toBeUndefined();
  });
});
