import './instrumentation';
import 'reflect-metadata';
import { gatewayProcessVariables, loadConfigOrExit, secretKeys } from '@tessera/config';
import { RpcClient } from '@tessera/contracts';
import { Logger, createLogger, secretKeyId } from '@tessera/runtime';
import { INestApplication } from '@nestjs/common';
import { createGatewayApp, startGateway } from './gateway-app';
import { checkSecretAgreement } from './health/secret-agreement';

const AGREEMENT_RETRY_MS = 5000;

async function main(): Promise<void> {
  const config = loadConfigOrExit(gatewayProcessVariables);
  const logger = createLogger('gateway', config.logLevel);
  try {
    const app = await createGatewayApp(config, logger);
    await startGateway(app, config);
    logger.info(
      { port: config.httpPort },
      `gateway is listening on http://${config.httpHost}:${config.httpPort}`,
    );
    void refuseAnotherSecret(app, secretKeys(config).map(secretKeyId), config.healthTimeoutMs, logger);
  } catch (error) {
    logger.fatal(
      { err: error },
      `gateway could not start: ${error instanceof Error ? error.message : error}`,
    );
    process.exit(1);
  }
}

/**
 * The gateway keeps nothing sealed, so it learns that its TESSERA_SECRET_KEY is not the services' from them: it
 * asks until one answers, and stops with one clear line rather than answer 500 to every command and 401 to every
 * API key.
 */
async function refuseAnotherSecret(
  app: INestApplication,
  keyIds: string[],
  timeoutMs: number,
  logger: Logger,
): Promise<void> {
  for (;;) {
    const agreement = await checkSecretAgreement(app.get(RpcClient), keyIds, timeoutMs);
    if (agreement.outcome === 'agreed') return;
    if (agreement.outcome === 'mismatch') {
      logger.fatal(`gateway could not start: ${agreement.message}`);
      await app.close();
      process.exit(1);
    }
    await new Promise((done) => setTimeout(done, AGREEMENT_RETRY_MS).unref());
  }
}

void main();
