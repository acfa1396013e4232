import { parseCsv } from './csv';

describe('parseCsv', () => {
  it('reads plain rows with their line numbers, skipping blank lines', () => {
    expect(parseCsv('email,role\n\na@x.io,admin\n  \nb@x.io,billing\n')).toEqual([
      { line: 1, fields: ['email', 'role'] },
      { line: 3, fields: ['a@x.io', 'admin'] },
      { line: 5, fields: ['b@x.io', 'billing'] },
    ]);
  });

  it('accepts a byte-order mark and CRLF', () => {
    expect(parseCsv('\uFEFFemail,role\r\na@x.io,developer\r\n')).toEqual([
      { line: 1, fields: ['email', 'role'] },
      { line: 2, fields: ['a@x.io', 'developer'] },
    ]);
  });

  it('reads quoted fields with commas, quotes and line breaks', () => {
    expect(
      parseCsv('"email","role"\n"a,b@x.io","dev""eloper"\n"multi\nline",admin\nnext@x.io,admin'),
    ).toEqual([
      { line: 1, fields: ['email', 'role'] },
      { line: 2, fields: ['a,b@x.io', 'dev"eloper'] },
      { line: 3, fields: ['multi\nline', 'admin'] },
      { line: 5, fields: ['next@x.io', 'admin'] },
    ]);
  });

  it('keeps formula-looking values as plain text', () => {
    expect(parseCsv("email,role\n=cmd|' /C calc'!A0,admin")[1].fields[0]).toBe("=cmd|' /C calc'!A0");
  });

  it('refuses an unclosed quote', () => {
    expect(() => parseCsv('email,role\n"a@x.io,admin')).toThrow(/line 2/);
  });

  it('names the line an unclosed quote starts on, past blank lines and line breaks inside it', () => {
    expect(() => parseCsv('email,role\nx@x.io,admin\n\n"a@x.io\nadmin\n')).toThrow(/starts on line 4 /);
  });

  it('counts lines past non-ASCII text and keeps a quote inside an unquoted field', () => {
    expect(parseCsv('email,role\r\nzoë@x.io,dev"eloper\r\n\r\nü@x.io,admin')).toEqual([
      { line: 1, fields: ['email', 'role'] },
      { line: 2, fields: ['zoë@x.io', 'dev"eloper'] },
      { line: 4, fields: ['ü@x.io', 'admin'] },
    ]);
  });
});
