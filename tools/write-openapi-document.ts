import { NestFactory } from '@nestjs/core';
import { allVariables, loadConfig } from '@tessera/config';
import { createLogger } from '@tessera/runtime';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GATEWAY_VERSION } from '../apps/gateway/src/gateway-app';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { openApiDocument } from '../apps/gateway/src/openapi';

/**
 * `npm run write:openapi`: writes docs/openapi.json from the gateway's routes, which `npm run generate:client`
 * turns into the client's types. The gateway module is only previewed (nothing instantiated), so neither NATS,
 * Redis nor PostgreSQL is needed.
 */
async function main(): Promise<void> {
  const config = loadConfig(allVariables, { TESSERA_SECRET_KEY: randomBytes(32).toString('base64url') });
  const app = await NestFactory.create(GatewayModule.forRoot(config, createLogger('gateway', 'silent')), {
    preview: true,
    logger: false,
  });
  const document = openApiDocument(app, GATEWAY_VERSION);
  writeFileSync(
    resolve(__dirname, '..', '..', 'docs', 'openapi.json'),
    `${JSON.stringify(document, null, 2)}\n`,
  );
  await app.close();
}

void main();
