import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

const COMPONENT_REF = '#/components/schemas/';

/**
 * The JSON Schemas (2020-12, as OpenAPI 3.1 takes them) of the payload schemas the routes declare. A schema with
 * an `id` in its metadata becomes a named component, referenced wherever it is used; the rest are inlined. The
 * OpenAPI document takes `components()` once every controller is loaded.
 */
class OpenApiSchemas {
  private readonly named = new Map<string, JsonSchema>();

  /** `io`: a request is described as the client may send it (defaults optional), a response as it is sent. */
  of(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const { $defs, $schema, ...root } = z.toJSONSchema(schema, {
      io,
      unrepresentable: 'any',
    }) as JsonSchema & {
      $defs?: Record<string, JsonSchema>;
    };
    void $schema;
    for (const [id, definition] of Object.entries($defs ?? {})) this.name(id, definition);
    // A named root comes back as a reference to its own definition.
    return relinked(root);
  }

  components(): Record<string, JsonSchema> {
    return Object.fromEntries([...this.named].sort(([a], [b]) => a.localeCompare(b)));
  }

  /**
   * A named schema must read the same as a request and as a response (no defaults or transforms in it; keep
   * those in the unnamed schema around it): one component, one meaning. Found at start, not by a client.
   */
  private name(id: string, definition: JsonSchema): void {
    const linked = relinked(definition);
    const existing = this.named.get(id);
    if (existing && JSON.stringify(existing) !== JSON.stringify(linked))
      throw new Error(
        `The schema "${id}" reads differently as a request and as a response; see openapi-schemas.ts`,
      );
    this.named.set(id, linked);
  }
}

/** zod writes references to `$defs` of each converted schema; in the document they are components. */
function relinked(schema: JsonSchema): JsonSchema {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/$defs/', `"${COMPONENT_REF}`)) as JsonSchema;
}

export const openApiSchemas = new OpenApiSchemas();
