import { devMailPage } from './dev-mail.page';

describe('devMailPage', () => {
  const mail = {
    from: 'no-reply@localhost',
    to: ['bo@example.com'],
    subject: 'Join <b>Research</b>',
    receivedAt: '2026-12-07T17:53:53.934Z',
    text: 'Accept: http://127.0.0.1:3000/invite/accept?token=a&b=1\n<script>alert(1)</script> javascript:alert(1)',
  };

  it('escapes everything a message carries and links only its http(s) addresses', () => {
    const page = devMailPage([mail]);
    expect(page).toContain('Join &lt;b&gt;Research&lt;/b&gt;');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>');
    expect(page).toContain(
      '<a href="http://127.0.0.1:3000/invite/accept?token=a&amp;b=1">http://127.0.0.1:3000/invite/accept?token=a&amp;b=1</a>',
    );
    expect(page.match(/<a /g)).toHaveLength(1);
    expect(page).toContain('2026-12-07 17:53:53 UTC');
  });

  it('says when nothing was caught yet', () => {
    expect(devMailPage([])).toContain('No e-mail yet');
  });
});
