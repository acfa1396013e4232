import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ErrorEnvelope } from './http/error-envelope';

/** The API description at `/docs` (browsable) and `/docs-json` (for generators and clients). */
export function setupOpenApi(app: INestApplication, version: string): void {
  const config = new DocumentBuilder()
    .setTitle('Tessera')
    .setDescription(
      'Accounts platform: personal accounts, teams, organizations, sign-in, API keys and authorization. ' +
        'Every error answers `{ "error": { "code", "message", "requestId" } }`; every response carries `x-request-id`.',
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
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ErrorEnvelope] });
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}
