import { escapeHtml, html } from './html';

const hostile = `<script>alert("x")</script> & 'co'`;

describe('html', () => {
  it('escapes every interpolated value, but not pieces made by html itself', () => {
    expect(escapeHtml(hostile)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;');
    const inner = html`<b>${hostile}</b>`;
    expect(html`<p>${inner}${[hostile, 1]}</p>`.value).toBe(
      `<p><b>${escapeHtml(hostile)}</b>${escapeHtml(hostile)}1</p>`,
    );
    expect(html`<i>${undefined}${null}</i>`.value).toBe('<i></i>');
  });
});
