import 'reflect-metadata';
import { allVariables, loadConfigOrExit } from '@tessera/config';
import { createLogger } from '@tessera/runtime';
import { createGatewayApp, startGateway } from './gateway-app';

async function main(): Promise<void> {
  const config = loadConfigOrExit(allVariables);
  const logger = createLogger('gateway', config.logLevel);
  try {
    const app = await createGatewayApp(config, logger);
    await startGateway(app, config);
    logger.info(
      { port: config.httpPort },
      `gateway is listening on http://${config.httpHost}:${config.httpPort}`,
    );
  } catch (error) {
    logger.fatal(
      { err: error },
      `gateway could not start: ${error instanceof Error ? error.message : error}`,
    );
    process.exit(1);
  }
}

void main();
