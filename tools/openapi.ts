import { NestFactory } from '@nestjs/core';
import { OpenAPIObject } from '@nestjs/swagger';
import { allVariables, loadConfig } from '@tessera/config';
import { createLogger } from '@tessera/runtime';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GATEWAY_VERSION } from '../apps/gateway/src/gateway-app';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { openApiDocument } from '../apps/gateway/src/openapi';

/** Where the API description is committed, for readers, client generators and the linter (from the root). */
export const OPENAPI_FILE = resolve('docs/openapi.json');

/**
 * The gateway's OpenAPI document, as `/docs-json` serves it, without any service running: Nest's preview mode
 * builds the module graph but creates no provider, so nothing connects to NATS, Redis or PostgreSQL. The
 * document needs only the routes' declarations; the secret is required by the configuration, never used.
 */
export async function generateOpenApi(): Promise<OpenAPIObject> {
  const config = loadConfig(allVariables, { TESSERA_SECRET_KEY: 'only-to-describe-the-routes-00000000' });
  const module = GatewayModule.forRoot(config, createLogger('openapi', 'silent'));
  const app = await NestFactory.create(module, { preview: true, logger: false });
  try {
    return openApiDocument(app, GATEWAY_VERSION);
  } finally {
    await app.close();
  }
}

/** The committed form: two-space JSON with a final newline, in the document's own (stable) order. */
export function openApiText(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** `npm run docs:openapi`: writes docs/openapi.json from the routes' declarations. */
async function main(): Promise<void> {
  writeFileSync(OPENAPI_FILE, openApiText(await generateOpenApi()));
}

if (require.main === module)
  main().catch((error: unknown) => {
    process.stderr.write(
      `The OpenAPI document could not be made: ${error instanceof Error ? error.stack : error}\n`,
    );
    process.exit(1);
  });
