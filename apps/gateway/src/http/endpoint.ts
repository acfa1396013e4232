import {
  ArgumentMetadata,
  CallHandler,
  CanActivate,
  ExecutionContext,
  HttpCode,
  NestInterceptor,
  PipeTransform,
  SetMetadata,
  UseInterceptors,
  UsePipes,
  applyDecorators,
} from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { ErrorCode, parseOrThrow } from '@tessera/contracts';
import { Request, Response } from 'express';
import { Observable, map } from 'rxjs';
import { z } from 'zod';
import { ErrorEnvelopeSchema } from './error-envelope';
import { ERROR_STATUS } from './error-status';
import { openApiSchemas } from './openapi-schemas';

/** Error code → when a route answers it; the document groups them by HTTP status. */
export type ErrorsDoc = Partial<Record<ErrorCode, string>>;

/**
 * One route's contract, in one object: what it takes (path parameters, query, body), what it answers on success
 * and which errors it documents. The route's input is validated with it before the controller runs (unknown
 * fields refused), its answer is parsed with it on the way out (only declared fields leave the gateway), and the
 * OpenAPI document is generated from it.
 */
export interface EndpointSpec<Response extends z.ZodType | null = z.ZodType | null> {
  summary: string;
  description?: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The success answer; `null` when there is none (204, a redirect). */
  response: Response;
  /** The success status; set here so the document and the answer cannot disagree. */
  status: number;
  /** Other success statuses the handler sets itself, with the same answer, and when (for the document). */
  otherStatuses?: Readonly<Record<number, string>>;
  /** The answer's media type when it is not JSON (`text/html` pages). */
  produces?: string;
  errors?: ErrorsDoc;
  /**
   * Input names renamed in `/v1` (old → new), accepted for one release: a request using one is answered with a
   * `Deprecation` header, and the README lists the renames.
   */
  renamed?: Readonly<Record<string, string>>;
}

type Answer<R> = R extends z.ZodType ? z.input<R> : unknown;
type RouteHandler<R> = (...args: never[]) => Answer<R> | Promise<Answer<R>>;

/** RFC 9745: the date the snake_case names were deprecated (release 0.2). */
const SNAKE_CASE_DEPRECATED = `@${Date.UTC(2026, 11, 7) / 1000}`;

export function Endpoint<R extends z.ZodType | null>(spec: EndpointSpec<R>) {
  const decorate = applyDecorators(
    HttpCode(spec.status),
    ApiOperation({ summary: spec.summary, description: spec.description }),
    ...documentedInput(spec),
    ...documentedAnswers(spec),
    ...(spec.produces ? [ApiProduces(spec.produces)] : []),
    Errors({
      ...(hasInput(spec) ? { validation_failed: 'The input is not valid: `details` names each field.' } : {}),
      ...spec.errors,
    }),
    ...(spec.params ? [SetMetadata(PATH_PARAMS, spec.params)] : []),
    UsePipes(new EndpointPipe(spec)),
    UseInterceptors(new EndpointInterceptor(spec)),
  );
  return <H extends RouteHandler<R>>(
    target: object,
    method: string | symbol,
    descriptor: TypedPropertyDescriptor<H>,
  ): void => decorate(target, method, descriptor);
}

/** Documents error answers, on a route or on a whole controller (the errors every route of it may answer). */
export function Errors(errors: ErrorsDoc): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, string[]>();
  for (const [code, when] of Object.entries(errors) as [ErrorCode, string][]) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), `\`${code}\`: ${when}`]);
  }
  const envelope = openApiSchemas.of(ErrorEnvelopeSchema, 'output');
  return applyDecorators(
    ...[...byStatus].map(([status, lines]) =>
      ApiResponse({
        status,
        description: lines.join('<br>'),
        content: { 'application/json': { schema: envelope } },
      }),
    ),
  );
}

function hasInput(spec: EndpointSpec): boolean {
  return Boolean(spec.params || spec.query || spec.body);
}

function documentedInput(spec: EndpointSpec): MethodDecorator[] {
  const decorators: MethodDecorator[] = [];
  for (const [name, schema] of Object.entries(spec.params?.shape ?? {}))
    decorators.push(
      ApiParam({ name, required: true, schema: openApiSchemas.of(schema as z.ZodType, 'input') }),
    );
  for (const [name, schema] of Object.entries(spec.query?.shape ?? {})) {
    const field = schema as z.ZodType;
    decorators.push(
      ApiQuery({
        name,
        required: !field.safeParse(undefined).success,
        schema: openApiSchemas.of(field, 'input'),
        description: field.description,
      }),
    );
  }
  if (spec.body) decorators.push(ApiBody({ required: true, schema: openApiSchemas.of(spec.body, 'input') }));
  return decorators;
}

function documentedAnswers(spec: EndpointSpec): MethodDecorator[] {
  const statuses: [number, string][] = [
    [spec.status, 'Done.'],
    ...Object.entries(spec.otherStatuses ?? {}).map(([status, when]): [number, string] => [
      Number(status),
      when,
    ]),
  ];
  const media = spec.produces ?? 'application/json';
  return statuses.map(([status, description]) =>
    spec.response
      ? ApiResponse({
          status,
          description,
          content: { [media]: { schema: openApiSchemas.of(spec.response, 'output') } },
        })
      : ApiResponse({ status, description }),
  );
}

const PATH_PARAMS = 'tessera:path-params';

/**
 * Checks the path parameters before any other guard: a malformed id is `validation_failed` on every route,
 * whether or not the route's own guards would have looked it up first (one UUID rule, never a 404 or a 500).
 */
export class PathParamsGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const params = Reflect.getMetadata(PATH_PARAMS, context.getHandler()) as z.ZodObject | undefined;
    if (params) parseOrThrow(params, context.switchToHttp().getRequest<Request>().params);
    return true;
  }
}

/** Validates each input part the controller takes with the route's schemas; old names are read as the new. */
class EndpointPipe implements PipeTransform {
  constructor(private readonly spec: EndpointSpec) {}

  transform(value: unknown, { type, data }: ArgumentMetadata): unknown {
    const { params, query, body } = this.spec;
    if (type === 'param' && params) {
      if (!data) return parseOrThrow(params, value);
      return parseOrThrow(params.shape[data] as z.ZodType, value, data);
    }
    if (type === 'query' && query) {
      if (!data) return parseOrThrow(query, this.renamed(value));
      return parseOrThrow(query.shape[data] as z.ZodType, value, data);
    }
    if (type === 'body' && body) return parseOrThrow(body, this.renamed(value));
    if (type === 'custom') return value;
    // A route that reads a part it declares no schema for would pass it unchecked: refuse to run it at all.
    throw new Error(`${type} ${data ?? ''} is read without a schema in its @Endpoint`);
  }

  private renamed(value: unknown): unknown {
    const { renamed } = this.spec;
    if (!renamed || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    // Sent under both names, the new one wins: the old one is what a client forgot to remove.
    const entries = Object.entries(value);
    const sent = new Set(entries.map(([name]) => name));
    return Object.fromEntries(
      entries
        .filter(([name]) => !(Object.hasOwn(renamed, name) && sent.has(renamed[name]!)))
        .map(([name, v]) => [Object.hasOwn(renamed, name) ? renamed[name]! : name, v]),
    );
  }
}

/** Marks answers to requests that used a deprecated name, and keeps every answer to its declared shape. */
class EndpointInterceptor implements NestInterceptor {
  constructor(private readonly spec: EndpointSpec) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    if (this.spec.renamed && usesOldName(http.getRequest<Request>(), this.spec.renamed))
      http.getResponse<Response>().setHeader('Deprecation', SNAKE_CASE_DEPRECATED);
    const schema = this.spec.response;
    if (!schema || this.spec.produces) return next.handle();
    // A reply with a field the schema does not declare loses it here: nothing leaves by accident.
    return next.handle().pipe(map((answer: unknown) => schema.parse(answer)));
  }
}

function usesOldName(request: Request, renamed: Readonly<Record<string, string>>): boolean {
  const sent = [request.body, request.query].filter(
    (part): part is object => typeof part === 'object' && part !== null,
  );
  return sent.some((part) => Object.keys(part).some((name) => Object.hasOwn(renamed, name)));
}
