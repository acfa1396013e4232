import { GatewayConfig, developmentRefusal } from '@tessera/config';

/**
 * The development shortcuts `npm start` turns on for a first run, checked again here: whoever sets the variables,
 * a production or reachable gateway refuses to start with them rather than let anyone sign in as anyone.
 */
export function assertDevelopmentAllowed(config: GatewayConfig): void {
  if (config.developmentSignIn !== 'on' && !config.developmentMailDir) return;
  const refusal = developmentRefusal(config);
  if (refusal)
    throw new Error(
      `TESSERA_DEVELOPMENT_SIGN_IN and TESSERA_DEVELOPMENT_MAIL_DIR are for development only, and ${refusal}`,
    );
}
