import cookieParser from 'cookie-parser';
import express from 'express';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { SESSION_COOKIE } from '../auth/cookies';
import { consoleFiles } from './console-files';

describe('consoleFiles: the web console served by the gateway', () => {
  let directory: string;
  let app: express.Express;
  const signedIn = `${SESSION_COOKIE}=a-session`;

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'console-'));
    mkdirSync(join(directory, 'assets'));
    writeFileSync(join(directory, 'index.html'), '<!doctype html><title>Tessera</title>');
    writeFileSync(join(directory, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(directory, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    app = express();
    app.use(cookieParser());
    app.use(consoleFiles(directory));
    app.use((_request, response) => response.status(404).json({ error: { code: 'not_found' } }));
  });

  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it.each(['/', '/a/0b8f4f5e-57a1-4f7e-9d0e-7c1d2b3a4f5e/members', '/o/x/sso', '/account'])(
    'answers index.html for the console route %s, never cached',
    async (path) => {
      const response = await request(app)
        .get(path)
        .set('cookie', signedIn)
        .set('accept', 'text/html')
        .expect(200);
      expect(response.text).toContain('<title>Tessera</title>');
      expect(response.headers['cache-control']).toBe('no-cache');
    },
  );

  it('sends a browser without a session to the sign-in page, which brings it back to the deep link', async () => {
    const response = await request(app).get('/a/team-1/keys?tab=2').set('accept', 'text/html').expect(302);
    expect(response.headers.location).toBe(`/signin?return_to=${encodeURIComponent('/a/team-1/keys?tab=2')}`);
  });

  it('leaves every other path to the gateway: an unknown API path is still a JSON 404', async () => {
    for (const path of ['/v1/nothing', '/accounts', '/docs', '/signin', '/device'])
      expect((await request(app).get(path).set('cookie', signedIn).expect(404)).body.error.code).toBe(
        'not_found',
      );
  });

  it('serves hashed assets for a year, and a missing asset is a 404, not the page', async () => {
    const asset = await request(app).get('/assets/index-abc123.js').expect(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // The gateway's own 404 (here the spec's stand-in for it), not Express's error page with a stack trace.
    expect((await request(app).get('/assets/missing.js').expect(404)).body.error.code).toBe('not_found');
    expect((await request(app).get('/assets/..%2f..%2fpackage.json').expect(404)).body.error.code).toBe(
      'not_found',
    );
  });

  it('answers the icon at /favicon.ico too, which browsers ask for on every page', async () => {
    const icon = await request(app).get('/favicon.ico').expect(200);
    expect(icon.headers['content-type']).toContain('image/svg+xml');
  });
});
