import { SafeHtml, html } from '@tessera/runtime';

/** The frame of Tessera's few server-rendered pages (sign-in, device approval): no scripts, so the CSP holds. */
export function page(title: string, body: SafeHtml): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · Tessera</title>
        <style>
          body {
            font-family: system-ui, sans-serif;
            max-width: 28rem;
            margin: 4rem auto;
            padding: 0 1rem;
            color: #1b1b1f;
          }
          h1 {
            font-size: 1.4rem;
          }
          .button,
          button {
            display: block;
            width: 100%;
            margin: 0.5rem 0;
            padding: 0.7rem;
            border-radius: 0.4rem;
            border: 1px solid #888;
            background: #fff;
            font-size: 1rem;
            text-align: center;
            text-decoration: none;
            color: inherit;
            cursor: pointer;
          }
          button.primary {
            background: #1b1b1f;
            color: #fff;
          }
          .error {
            background: #fde8e8;
            border: 1px solid #e0a0a0;
            padding: 0.7rem;
            border-radius: 0.4rem;
          }
          code {
            font-size: 1.6rem;
            letter-spacing: 0.15rem;
          }
          select,
          input {
            width: 100%;
            padding: 0.5rem;
            font-size: 1rem;
            margin: 0.3rem 0 1rem;
          }
        </style>
      </head>
      <body>
        <h1>${title}</h1>
        ${body}
      </body>
    </html>`.value;
}
