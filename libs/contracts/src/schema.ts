import { z } from 'zod';
import { ErrorDetail } from './error-codes';
import { TesseraError } from './errors';

/**
 * Building blocks of the payload schemas. Every HTTP body, query, path parameter and response, and every NATS
 * request, reply and event, is a zod schema in this library; TypeScript types are inferred from them, the gateway
 * and every NATS responder validate with them, and the OpenAPI document is generated from them.
 */

/** One id rule for every route and subject: a malformed id is `validation_failed`, never a 404 or a 500. */
export const Uuid = z.uuid({ error: 'Must be a UUID.' });

/** The same rule where a value is not a payload (a header, a cookie, a CLI argument): every id is a UUID. */
export function isUuid(value: unknown): value is string {
  return Uuid.safeParse(value).success;
}

/** Requests that name one record by its id, shared by every subject that takes nothing else. */
export const AccountIdRequest = z.strictObject({ accountId: Uuid });
export const UserIdRequest = z.strictObject({ userId: Uuid });
export const OrganizationIdRequest = z.strictObject({ organizationId: Uuid });
export const TeamIdRequest = z.strictObject({ teamId: Uuid });

/** A moment as JSON carries it: ISO 8601 with a UTC offset. */
export const IsoDateTime = z.iso.datetime({ offset: true, error: 'Must be an ISO 8601 date-time.' });

/**
 * An object with one field per value of `keys`. A record keyed by an enum says the same to TypeScript, but its
 * JSON Schema leaves the fields unlisted; this one lists each, so documents and generated clients name them.
 */
export function fieldsFor<K extends string, V extends z.ZodType>(keys: readonly K[], value: V) {
  return z.object(Object.fromEntries(keys.map((key) => [key, value])) as Record<K, V>);
}

/** A subject's request and reply schemas: one entry of the contract map. */
export interface RpcSchemas<Request extends z.ZodType = z.ZodType, Reply extends z.ZodType = z.ZodType> {
  request: Request;
  reply: Reply;
}

export function rpc<Request extends z.ZodType, Reply extends z.ZodType>(
  request: Request,
  reply: Reply,
): RpcSchemas<Request, Reply> {
  return { request, reply };
}

/** The payload of a subject that takes nothing. */
export const NoPayload = z.strictObject({});

/** `validation_failed` naming every field that is wrong; the message sums them up for people reading a log. */
export class ValidationFailedError extends TesseraError {
  constructor(details: readonly ErrorDetail[]) {
    super('validation_failed', summary(details), details);
  }
}

/**
 * Parses `value` with `schema` or throws `ValidationFailedError`. `at` prefixes the paths, so a query parameter
 * and a body field of the same name can be told apart when one endpoint validates several parts.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, at?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationFailedError(detailsOf(result.error, at));
}

/** What is wrong with `value` for `schema`, field by field, as `details` name it; empty when it is valid. */
export function validationDetails(schema: z.ZodType, value: unknown): ErrorDetail[] {
  const result = schema.safeParse(value);
  return result.success ? [] : detailsOf(result.error);
}

function detailsOf(error: z.ZodError, at?: string): ErrorDetail[] {
  return error.issues.map((issue) => ({
    path: issuePath(at ? [at, ...issue.path] : issue.path),
    message: issue.message,
  }));
}

/** `['settings', 'keys', 0, 'name']` → `settings.keys[0].name`; the payload itself is `''`. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((joined, part) => {
    if (typeof part === 'number') return `${joined}[${part}]`;
    return joined ? `${joined}.${String(part)}` : String(part);
  }, '');
}

function summary(details: readonly ErrorDetail[]): string {
  const listed = details.slice(0, 3).map((d) => (d.path ? `${d.path}: ${d.message}` : d.message));
  const more = details.length > 3 ? ` (and ${details.length - 3} more)` : '';
  return `The request is not valid. ${listed.join('; ')}${more}`;
}
