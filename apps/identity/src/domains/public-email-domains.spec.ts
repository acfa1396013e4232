import { isPublicEmailDomain } from './public-email-domains';

describe('isPublicEmailDomain', () => {
  it('knows the large providers and the names under them, and nothing else', () => {
    for (const domain of ['gmail.com', 'outlook.com', 'proton.me', 'gmx.de', 'mail.gmail.com'])
      expect(isPublicEmailDomain(domain)).toBe(true);
    for (const domain of ['acme.com', 'notgmail.com', 'gmail.com.acme.test'])
      expect(isPublicEmailDomain(domain)).toBe(false);
  });
});
