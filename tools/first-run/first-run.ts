import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayConfig, developmentRefusal } from '@tessera/config';
import { startDevelopmentProvider } from './development-provider';
import { startMailCatcher } from './mail-catcher';

/** What a first run adds to the services' environment, what `npm start` says about it, and how to stop it. */
export interface FirstRun {
  environment: Record<string, string>;
  report: string[];
  stop(): Promise<void>;
}

/**
 * Tessera usable on a fresh machine with nothing configured: when no sign-in provider is set up, and only on a
 * loopback, non-production installation, an embedded OpenID provider stands in as the Google provider (the same
 * code path) and, without `TESSERA_SMTP_URL`, a mail catcher takes the e-mails the gateway shows at `/dev/mail`.
 * Both packages are development dependencies, imported only when started, so production never loads them.
 */
export async function startFirstRun(
  config: GatewayConfig,
  environment: Record<string, string | undefined>,
): Promise<FirstRun> {
  const configured = [
    config.githubClientId && config.githubClientSecret && 'GitHub',
    config.googleClientId && config.googleClientSecret && 'Google',
  ].filter(Boolean);
  const off = (reason: string): FirstRun => ({
    environment: {},
    report: [`Development sign-in: off (${reason})`],
    stop: async () => undefined,
  });
  if (configured.length > 0) return off(`${configured.join(' and ')} sign-in is configured`);
  const refusal = developmentRefusal(config);
  if (refusal) return off(`no sign-in provider is configured, but ${refusal}`);

  const publicUrl = config.publicUrl.replace(/\/$/, '');
  const provider = await startDevelopmentProvider(`${publicUrl}/auth/google/callback`).catch(
    (error: unknown) => {
      if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
      throw new Error(
        'no sign-in provider is configured, and the development one needs the development dependencies (`npm ci`); or configure GitHub or Google',
      );
    },
  );
  const firstRun: FirstRun = {
    environment: {
      TESSERA_DEVELOPMENT_SIGN_IN: 'on',
      // Anyone who reaches a development sign-in signs in as anyone: the gateway listens on loopback only.
      TESSERA_HTTP_HOST: '127.0.0.1',
      TESSERA_GOOGLE_ISSUER: provider.issuer,
      TESSERA_GOOGLE_CLIENT_ID: provider.clientId,
      TESSERA_GOOGLE_CLIENT_SECRET: provider.clientSecret,
    },
    report: [
      `Development sign-in: on (embedded OpenID provider at ${provider.issuer}; configure GitHub or Google to turn it off)`,
    ],
    stop: () => provider.close(),
  };
  if (environment.TESSERA_SMTP_URL) {
    firstRun.report.push('Mail: sent through TESSERA_SMTP_URL');
    return firstRun;
  }

  const directory = await mkdtemp(join(tmpdir(), 'tessera-mail-'));
  const catcher = await startMailCatcher(directory).catch(async (error: unknown) => {
    await Promise.all([provider.close(), rm(directory, { recursive: true, force: true })]);
    throw error;
  });
  Object.assign(firstRun.environment, {
    TESSERA_SMTP_URL: catcher.url,
    TESSERA_DEVELOPMENT_MAIL_DIR: directory,
  });
  firstRun.report.push(`Mail: caught, read it at ${publicUrl}/dev/mail`);
  firstRun.stop = async () => {
    await Promise.all([provider.close(), catcher.close()]);
    await rm(directory, { recursive: true, force: true });
  };
  return firstRun;
}
