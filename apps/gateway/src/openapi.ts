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
  const document = SwaggerModule.createDocument(app, config, { operationIdFactory: operationId });
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...openApiSchemas.components() },
  };
  document.servers = [
    { url: '/', description: 'The Tessera that serves this document (`TESSERA_PUBLIC_URL`).' },
  ];
  const operations = Object.values(document.paths).flatMap((path) =>
    HTTP_METHODS.flatMap((method) => path[method] ?? []),
  );
  // A route that names no credential scheme takes none (sign-in, health, the decision point): said, not left out.
  for (const operation of operations) operation.security ??= [];
  document.tags = [...new Set(operations.flatMap((operation) => operation.tags ?? []))]
    .sort()
    .map((name) => ({ name, description: TAGS[name] }));
  return document;
}

/** What each group of routes is for, as the browsable docs list them. */
const TAGS: Readonly<Record<string, string>> = {
  auth: 'Sign-in (GitHub, Google, SAML SSO, device codes), tokens and the browser session.',
  authz: 'The policy decision point, and who a credential is.',
  health: 'Liveness and readiness, of the gateway and of each service.',
  keys: 'API keys of an account: create, list, rotate, revoke.',
  me: 'The signed-in person: profile, sessions, linked identities, active account.',
  organizations: 'Organizations: their teams, admins, members, policies, transfers, domains and SSO.',
  secrets: "A team's secrets: set, list (names only) and delete; apps read values on NATS.",
  teams: 'Teams: members, roles, invitations, policies, archiving.',
  usage: "An account's requests, by actor or by action.",
};

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * `KeysController.create` → `keysCreate`, `UsageController.usage` → `usage`: names a client generator turns into
 * method names, free of the gateway's class names.
 */
function operationId(controller: string, method: string): string {
  const resource = controller.replace(/Controller$/, '');
  if (method.toLowerCase().startsWith(resource.toLowerCase())) return method;
  return `${resource.charAt(0).toLowerCase()}${resource.slice(1)}${method.charAt(0).toUpperCase()}${method.slice(1)}`;
}

/** `/docs` (browsable) and `/docs-json` (for generators and clients). */
export function setupOpenApi(app: INestApplication, version: string): void {
  SwaggerModule.setup('docs', app, openApiDocument(app, version), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}
