import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildContext } from './build-context';
import { readDockerfile } from './dockerfile';
import { StageTree, replayStages } from './replay';

/** The replay on a small project of its own: real files, real shell commands, no npm. */
describe('replaying a Dockerfile', () => {
  let folder: string;
  let context: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'tessera-replay-spec-'));
    context = join(folder, 'context');
    write('.dockerignore', 'node_modules\ndist\n.git\n*.env\n');
    write('package.json', '{}');
    write('package-lock.json', '{}');
    write('src/main.js', 'console.log("hello")');
    write('node_modules/left-pad/index.js', '');
    write('dist/stale.js', '');
    write('.git/HEAD', '');
    write('local.env', 'SECRET=1');
  });

  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  function write(path: string, content: string): void {
    mkdirSync(dirname(join(context, path)), { recursive: true });
    writeFileSync(join(context, path), content);
  }

  async function replay(dockerfile: string): Promise<{ trees: StageTree[]; log: string[] }> {
    write('Dockerfile', dockerfile);
    const log: string[] = [];
    const trees = await replayStages(readDockerfile(join(context, 'Dockerfile')), {
      contextRoot: context,
      context: buildContext(context),
      folder: join(folder, 'stages'),
      baseEnv: { PATH: '/usr/bin:/bin' },
      onStep: (stage, step) => log.push(`${stage.name}: ${step.text}`),
    });
    return { trees, log };
  }

  it('copies in order through .dockerignore, runs each step in its stage, and copies between stages', async () => {
    const { trees, log } = await replay(
      [
        'FROM node:24 AS build',
        'WORKDIR /app',
        'COPY package*.json ./',
        // Only the manifests are there yet.
        'RUN test -f package.json && test -f package-lock.json && test ! -e src',
        'COPY . .',
        'RUN mkdir dist && cp src/main.js dist/main.js \\',
        '  && ls -A > listing.txt',
        'FROM node:24',
        'WORKDIR /srv',
        'ENV GREETING=hello',
        'COPY --from=build /app/dist ./dist',
        'RUN test "$GREETING" = hello && test -f dist/main.js',
        'CMD ["node", "dist/main.js"]',
      ].join('\n'),
    );
    const [build, image] = trees;
    expect(
      readFileSync(join(build.root, 'app/listing.txt'), 'utf8').split('\n').filter(Boolean).sort(),
    ).toEqual([
      '.dockerignore',
      'Dockerfile',
      'dist',
      'listing.txt',
      'package-lock.json',
      'package.json',
      'src',
    ]);
    expect(existsSync(join(build.root, 'app/dist/stale.js'))).toBe(false);
    expect(existsSync(join(image.root, 'srv/dist/main.js'))).toBe(true);
    expect(existsSync(join(image.root, 'srv/src'))).toBe(false);
    expect(image).toMatchObject({ workdir: '/srv', env: { GREETING: 'hello' } });
    expect(image.stage.cmd).toEqual(['node', 'dist/main.js']);
    expect(log[0]).toBe('build: WORKDIR /app');
  });

  it('fails on a failing RUN, naming its line', async () => {
    await expect(replay('FROM node:24\nWORKDIR /app\nRUN test -f missing.js')).rejects.toThrow(
      'Dockerfile line 3 (RUN test -f missing.js): it failed (exit code 1)',
    );
  });

  it('fails on a COPY of a file .dockerignore excludes', async () => {
    await expect(replay('FROM node:24\nWORKDIR /app\nCOPY local.env ./')).rejects.toThrow(
      'nothing in the build context matches local.env (is it in .dockerignore?)',
    );
  });

  it('refuses a RUN that names the image working directory, which would be this machine’s', async () => {
    await expect(replay('FROM node:24\nWORKDIR /app\nRUN rm -rf /app/dist')).rejects.toThrow(
      'it names /app, which is this machine',
    );
  });

  it('refuses an instruction it cannot replay rather than skip it', () => {
    write('Dockerfile', 'FROM node:24\nARG VERSION=1\n');
    expect(() => readDockerfile(join(context, 'Dockerfile'))).toThrow(
      'Dockerfile line 2 (ARG VERSION=1): ARG is not replayed',
    );
  });

  it('refuses a build context whose .dockerignore lets node_modules, dist or .git in', () => {
    write('.dockerignore', 'node_modules\n');
    expect(() => buildContext(context)).toThrow('.dockerignore must exclude dist, .git.');
  });
});
