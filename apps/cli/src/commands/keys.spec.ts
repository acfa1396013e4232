import { InvalidArgumentError } from 'commander';
import { expiry } from './keys';

describe('keys create --expires', () => {
  const now = Date.parse('2027-01-01T00:00:00.000Z');

  it('takes lifetimes in hours, days and weeks', () => {
    expect(expiry('12h', now)).toBe('2027-01-01T12:00:00.000Z');
    expect(expiry('30d', now)).toBe('2027-01-31T00:00:00.000Z');
    expect(expiry('2w', now)).toBe('2027-01-15T00:00:00.000Z');
  });

  it('takes dates and instants', () => {
    expect(expiry('2027-06-30', now)).toBe('2027-06-30T00:00:00.000Z');
    expect(expiry('2027-06-30T12:00:00+02:00', now)).toBe('2027-06-30T10:00:00.000Z');
  });

  it('refuses anything else as a usage error', () => {
    for (const value of ['tomorrow', '30', '5y', '2027-13-45', ''])
      expect(() => expiry(value, now)).toThrow(InvalidArgumentError);
  });
});
