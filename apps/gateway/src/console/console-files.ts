import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { NextFunction, Request, Response, Router, static as serveStatic } from 'express';
import { SESSION_COOKIE } from '../auth/cookies';

/**
 * The console's own routes (apps/console/src/routes.tsx), answered with its `index.html`: `/`, an account's
 * pages `/a/…`, an organization's `/o/…`, and `/account`. Everything else stays the gateway's (the API, the
 * sign-in pages, `/docs`, `/health`), so an unknown API path is still a JSON 404.
 */
const CONSOLE_PATHS = /^\/(?:$|a\/|o\/|account(?:\/|$))/;

/** Vite puts a content hash in every asset's name: a changed file is a new URL, so browsers may keep them. */
const ASSETS_MAX_AGE = '365d';

/**
 * Serves the built web console (`npm run build` writes it to `dist/console`). A browser without a session cookie
 * goes straight to the sign-in page, which brings it back to the page it asked for.
 */
export function consoleFiles(directory = builtConsoleDirectory()): Router {
  const router = Router();
  const index = join(directory, 'index.html');
  // A missing asset falls through to the gateway's own JSON 404, never Express's error page.
  router.use(
    '/assets',
    serveStatic(join(directory, 'assets'), { immutable: true, maxAge: ASSETS_MAX_AGE, index: false }),
  );
  // Browsers ask for `/favicon.ico` on every page, the server-rendered ones included.
  router.get(
    ['/favicon.svg', '/favicon.ico'],
    (_request: Request, response: Response, next: NextFunction) => {
      response.setHeader('Cache-Control', 'public, max-age=86400');
      response.type('image/svg+xml').sendFile(join(directory, 'favicon.svg'), (error) => error && next());
    },
  );
  router.get(CONSOLE_PATHS, (request: Request, response: Response, next: NextFunction) => {
    if (!request.accepts('html')) return next();
    if (!request.cookies?.[SESSION_COOKIE]) {
      const returnTo = request.originalUrl;
      return response.redirect(302, `/signin?${new URLSearchParams({ return_to: returnTo })}`);
    }
    if (!existsSync(index))
      return response
        .status(503)
        .type('text')
        .send('The web console is not built: run `npm run build`, then start Tessera again.');
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index, (error) => error && next());
  });
  return router;
}

/** `dist/console` beside the project's package.json, whether running from `dist/` or from the sources in tests. */
function builtConsoleDirectory(): string {
  let directory = __dirname;
  while (!existsSync(join(directory, 'package.json'))) {
    const parent = dirname(directory);
    if (parent === directory)
      throw new Error('The project root (package.json) was not found above the gateway.');
    directory = parent;
  }
  return join(directory, 'dist', 'console');
}
