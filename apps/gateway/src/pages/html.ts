import { SafeHtml, html } from '@tessera/runtime';

/**
 * The frame of Tessera's few server-rendered pages (sign-in, device approval, invitations, single sign-on): the
 * console's look (a card on light grey under the wordmark, system font, 8 px corners, blue primary buttons, a
 * visible focus ring, labelled inputs, one column down to 360 px) in plain CSS. No scripts, so the CSP holds.
 */
export function page(title: string, body: SafeHtml, options: { wide?: boolean } = {}): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · Tessera</title>
        <style>
          * {
            box-sizing: border-box;
          }
          body {
            margin: 0;
            min-height: 100vh;
            padding: 3rem 1rem;
            display: flex;
            flex-direction: column;
            align-items: center;
            background: #f1f3f5;
            color: #212529;
            font-family:
              system-ui,
              -apple-system,
              'Segoe UI',
              Roboto,
              Helvetica,
              Arial,
              sans-serif;
            font-size: 1rem;
            line-height: 1.55;
          }
          .wordmark {
            margin: 0 0 1.5rem;
            font-size: 1.6rem;
            font-weight: 800;
            letter-spacing: -0.03em;
            color: #212529;
          }
          main {
            width: 100%;
            max-width: 26rem;
            padding: 2rem;
            background: #fff;
            border: 1px solid #dee2e6;
            border-radius: 8px;
            box-shadow:
              0 1px 3px rgb(0 0 0 / 5%),
              0 1px 2px rgb(0 0 0 / 10%);
          }
          main.wide {
            max-width: 48rem;
          }
          h1 {
            margin: 0 0 1.25rem;
            font-size: 1.375rem;
            line-height: 1.3;
          }
          h2 {
            margin: 0 0 0.5rem;
            font-size: 1.1rem;
          }
          p {
            margin: 0 0 1rem;
          }
          label {
            display: block;
            margin-bottom: 0.25rem;
            font-size: 0.875rem;
            font-weight: 600;
          }
          input,
          select {
            display: block;
            width: 100%;
            min-height: 2.5rem;
            margin: 0 0 1rem;
            padding: 0.4rem 0.75rem;
            border: 1px solid #ced4da;
            border-radius: 8px;
            background: #fff;
            color: inherit;
            font: inherit;
          }
          .button,
          button {
            display: block;
            width: 100%;
            min-height: 2.5rem;
            margin: 0.5rem 0;
            padding: 0.45rem 1rem;
            border: 1px solid #ced4da;
            border-radius: 8px;
            background: #fff;
            color: #212529;
            font: inherit;
            font-weight: 600;
            text-align: center;
            text-decoration: none;
            cursor: pointer;
          }
          .button:hover,
          button:hover {
            background: #f8f9fa;
          }
          /* Mantine's blue, one shade darker than #1c7ed6: white on it reads at 4.9:1 (WCAG AA), not 4.2:1. */
          .primary,
          .button.primary,
          button.primary {
            border-color: #1971c2;
            background: #1971c2;
            color: #fff;
          }
          .primary:hover,
          .button.primary:hover,
          button.primary:hover {
            border-color: #1864ab;
            background: #1864ab;
          }
          :focus-visible {
            outline: 2px solid #1c7ed6;
            outline-offset: 2px;
          }
          a {
            color: #1971c2;
          }
          .error,
          .notice {
            padding: 0.75rem;
            border-radius: 8px;
            font-size: 0.9rem;
          }
          .error {
            border: 1px solid #ffc9c9;
            background: #fff5f5;
            color: #c92a2a;
          }
          .notice {
            border: 1px solid #ffe066;
            background: #fff9db;
          }
          .separator {
            margin: 1.25rem 0;
            border: 0;
            border-top: 1px solid #dee2e6;
          }
          code {
            font-family: ui-monospace, monospace;
          }
          .user-code {
            font-size: 1.6rem;
            letter-spacing: 0.15rem;
          }
          .mail {
            padding: 1rem 0;
            border-top: 1px solid #dee2e6;
          }
          .mail dl {
            display: grid;
            grid-template-columns: auto 1fr;
            gap: 0.1rem 0.75rem;
            margin: 0 0 0.75rem;
            font-size: 0.875rem;
          }
          .mail dt {
            color: #495057;
          }
          .mail dd {
            margin: 0;
            overflow-wrap: anywhere;
          }
          .mail pre {
            margin: 0;
            padding: 0.75rem;
            border-radius: 8px;
            background: #f8f9fa;
            font-size: 0.85rem;
            white-space: pre-wrap;
            overflow-wrap: anywhere;
          }
          @media (max-width: 400px) {
            body {
              padding: 1.5rem 0.75rem;
            }
            main {
              padding: 1.25rem;
            }
          }
        </style>
      </head>
      <body>
        <header class="wordmark">Tessera</header>
        <main class="${options.wide ? 'wide' : ''}">
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html>`.value;
}
