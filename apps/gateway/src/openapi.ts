import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { openApiSchemas } from './http/openapi-schemas';

/** The API description (OpenAPI 3.1), generated from the payload schemas the routes declare with `@Endpoint`. */
export function openApiDocument(app: INestApplication, version: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Tessera')
    .setDescription(
      'Accounts platform: personal accounts, teams, organizations, sign-in, API keys and authorization. ' +
        'Every error answers `{ "error": { "code", "message", "requestId", "details"? } }`; every response ' +
        'carries `x-request-id`.',
    )
    .setVersion(version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'Authorization',
        description: '`Key tsk_…`: an API key of the account.',
      },
      'key',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...openApiSchemas.components() },
  };
  return document;
}

/** `/docs` (browsable) and `/docs-json` (for generators and clients). */
export function setupOpenApi(app: INestApplication, version: string): void {
  SwaggerModule.setup('docs', app, openApiDocument(app, version), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}
