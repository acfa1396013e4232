import { z } from 'zod';
import { DOMAINS_EVENTS } from './domains';
import { IDENTITY_EVENTS } from './identity';
import { KEYS_EVENTS } from './keys';
import { ORGANIZATIONS_EVENTS } from './organizations';
import { POLICIES_EVENTS } from './policies';
import { SECRETS_EVENTS } from './secrets';
import { SSO_EVENTS } from './sso';
import { TEAMS_EVENTS } from './teams';

/**
 * The events of Tessera: `tessera.events.<service>.<aggregate>.<past-tense>` → payload schema. They are written to
 * the writing service's outbox in the same transaction as the change and relayed to the JetStream stream below;
 * the writer and every consumer check the payload against its schema.
 *
 * Renaming an event needs the same two-step plan as a subject.
 */
export const EVENT_SCHEMAS = {
  ...IDENTITY_EVENTS,
  ...TEAMS_EVENTS,
  ...ORGANIZATIONS_EVENTS,
  ...POLICIES_EVENTS,
  ...DOMAINS_EVENTS,
  ...SSO_EVENTS,
  ...KEYS_EVENTS,
  ...SECRETS_EVENTS,
} satisfies Record<string, z.ZodType>;

type SchemaEvents = { [E in keyof typeof EVENT_SCHEMAS]: z.output<(typeof EVENT_SCHEMAS)[E]> };

/** Event → payload type, inferred from the schemas (an interface, so a test may declare a probe event of its own). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface EventContract extends SchemaEvents {}

export type EventSubject = keyof EventContract & string;
export type EventPayload<E extends EventSubject> = EventContract[E];

/** What a consumer receives: the payload with the metadata every event carries. */
export interface EventEnvelope<E extends EventSubject = EventSubject> {
  /** UUIDv7; also the message's `Nats-Msg-Id`, so consumers and JetStream deduplicate on it. */
  id: string;
  type: E;
  occurredAt: string;
  requestId?: string;
  /** W3C trace context of the change that wrote the event, so its consumers join the same trace. */
  traceparent?: string;
  data: EventPayload<E>;
}

const EventEnvelopeSchema = z.object({
  id: z.string().min(1),
  type: z.string(),
  occurredAt: z.string(),
  requestId: z.string().optional(),
  traceparent: z.string().optional(),
  data: z.unknown(),
});

/**
 * An event as read off the stream: the envelope, and the payload checked by its type's schema. A malformed one
 * comes back as the reason, for a consumer to log and drop (retrying cannot mend it).
 */
export function readEvent(value: unknown): { event: EventEnvelope } | { malformed: string } {
  const envelope = EventEnvelopeSchema.safeParse(value);
  if (!envelope.success) return { malformed: 'not an event envelope' };
  const payload = eventSchema(envelope.data.type)?.safeParse(envelope.data.data);
  if (payload && !payload.success)
    return { malformed: `${envelope.data.type} does not match its schema: ${payload.error.message}` };
  return { event: { ...envelope.data, data: payload ? payload.data : envelope.data.data } as EventEnvelope };
}

export const EVENTS_STREAM = 'TESSERA_EVENTS';
export const EVENTS_SUBJECTS = 'tessera.events.>';

/** The schema of an event's payload, if the event is one of Tessera's. */
export function eventSchema(type: string): z.ZodType | undefined {
  return Object.hasOwn(EVENT_SCHEMAS, type) ? EVENT_SCHEMAS[type as keyof typeof EVENT_SCHEMAS] : undefined;
}
