import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { GatewayConfig } from '@tessera/config';
import { metricsEnabled } from '@tessera/telemetry';
import { Logger, NestPinoLogger, RequestContextInterceptor, Keyring, natsTransport } from '@tessera/runtime';
import cookieParser from 'cookie-parser';
import { RequestHandler, json, text } from 'express';
import helmet from 'helmet';
import { GatewayModule } from './gateway.module';
import { PathParamsGuard } from './http/endpoint';
import { ErrorEnvelopeFilter } from './http/error-envelope.filter';
import { requestContextMiddleware } from './http/request-context.middleware';
import { httpMetricsMiddleware } from './http/http-metrics.middleware';
import { rejectCredentialsInQuery } from './http/credential-in-query.middleware';
import { consoleFiles } from './console/console-files';
import { setupOpenApi } from './openapi';

export const GATEWAY_VERSION = '0.1.0';

/**
 * The JSON parser of `PUT …/secrets/:name`, up to 512 kB: a 64 KiB value of control characters, escaped, and room
 * to spare. Wrapped under a name of its own: Nest skips its global JSON parser when it finds a middleware named
 * `jsonParser` (express's), which would leave every other route unparsed.
 */
function secretBodyParser(): RequestHandler {
  const parse = json({ limit: '512kb' });
  return function secretBodyParser(request, response, next) {
    if (request.method === 'PUT') parse(request, response, next);
    else next();
  };
}

/**
 * The gateway as one hybrid app: HTTP for clients, and NATS responders in the `gateway` queue group (its health
 * subject, and the policy decision point `tessera.authz.check`). Not yet listening: the caller starts it.
 */
export async function createGatewayApp(config: GatewayConfig, logger: Logger): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(GatewayModule.forRoot(config, logger), {
    logger: new NestPinoLogger(logger),
  });
  app.disable('x-powered-by');
  // Only these proxies' `X-Forwarded-For` is believed; behind a load balancer, without it every client would
  // share the balancer's address (and one rate limit), and with too wide a trust anyone could pick their own.
  app.set('trust proxy', config.trustedProxies);
  app.use(requestContextMiddleware(logger));
  if (metricsEnabled()) app.use(httpMetricsMiddleware);
  app.use(securityHeaders(config.publicUrl));
  app.use(rejectCredentialsInQuery);
  // Bulk invitations arrive as `text/csv`, and a secret's value may need more JSON than the 100 kB of Nest's
  // default parser; every other JSON body and form is parsed by Nest's defaults.
  app.use('/v1/teams', text({ type: 'text/csv', limit: '64kb' }));
  app.use('/v1/accounts/:accountId/secrets/:name', secretBodyParser());
  // The first key signs cookies, every listed one verifies: cookies signed before a rotation of the secret keep
  // working until they expire.
  const cookieKeys = Keyring.fromConfig(config).derive('gateway/cookies');
  app.use(cookieParser(cookieKeys.map(({ key }) => key.toString('base64url'))));
  app.use(consoleFiles());
  app.useGlobalFilters(new ErrorEnvelopeFilter(logger));
  app.useGlobalInterceptors(new RequestContextInterceptor(logger));
  app.useGlobalGuards(new PathParamsGuard());
  setupOpenApi(app, GATEWAY_VERSION);
  app.connectMicroservice(natsTransport('gateway', config), { inheritAppConfig: true });
  app.enableShutdownHooks();
  return app;
}

/** Helmet's defaults, but HTTPS-only headers only when Tessera is served over HTTPS (not on a plain-HTTP dev box). */
function securityHeaders(publicUrl: string) {
  const https = publicUrl.startsWith('https:');
  return helmet({
    strictTransportSecurity: https,
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: https ? [] : null } },
    // Not helmet's `no-referrer`: under it a browser posts the pages' own forms with `Origin: null`, which the
    // same-origin check must refuse. `same-origin` still sends nothing (no invitation link) to other sites.
    referrerPolicy: { policy: 'same-origin' },
  });
}

export async function startGateway(app: INestApplication, config: GatewayConfig): Promise<void> {
  await app.startAllMicroservices();
  await app.listen(config.httpPort, config.httpHost);
}
