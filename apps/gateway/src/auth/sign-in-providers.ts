import { GatewayConfig } from '@tessera/config';
import { SIGN_IN_PROVIDERS, SignInProvider, SignInProviderSchema } from '@tessera/contracts';
import { z } from 'zod';

/** A sign-in method this installation offers, with the name people see on its button. */
export const SignInMethodOptionSchema = z
  .object({
    provider: SignInProviderSchema,
    label: z.string().meta({ example: 'GitHub' }),
    development: z
      .boolean()
      .meta({ description: 'The embedded development provider of a first run: any name and e-mail.' }),
  })
  .meta({ id: 'SignInMethodOption' });
export type SignInMethodOption = z.infer<typeof SignInMethodOptionSchema>;

export const PROVIDER_LABELS: Record<SignInProvider, string> = { github: 'GitHub', google: 'Google' };

/**
 * The providers configured here, in the order the sign-in page shows them. The Google provider is the embedded
 * development one when a first run turned it on (`TESSERA_DEVELOPMENT_SIGN_IN`).
 */
export function signInMethods(config: GatewayConfig): SignInMethodOption[] {
  const configured: Record<SignInProvider, boolean> = {
    github: Boolean(config.githubClientId && config.githubClientSecret),
    google: Boolean(config.googleClientId && config.googleClientSecret),
  };
  const development = config.developmentSignIn === 'on';
  return SIGN_IN_PROVIDERS.filter((provider) => configured[provider]).map((provider) =>
    development && provider === 'google'
      ? { provider, label: 'a development account', development: true }
      : { provider, label: PROVIDER_LABELS[provider], development: false },
  );
}
