import { DomainsEvents } from './domains';
import { IdentityLinkedEvent, SessionRevokedEvent, UserCreatedEvent } from './identity';
import { KeysEvents } from './keys';
import { OrganizationsEvents } from './organizations';
import { PoliciesEvents } from './policies';
import { SsoEvents } from './sso';
import { TeamsEvents } from './teams';

/**
 * The events of Tessera: `tessera.events.<service>.<aggregate>.<past-tense>` → payload. They are written to the
 * writing service's outbox in the same transaction as the change and relayed to the JetStream stream below.
 *
 * Each domain issue adds its events here (and tests may add their own by declaration merging), so that writing an
 * event with the wrong payload does not compile. Renaming an event needs the same two-step plan as a subject.
 */
export interface EventContract
  extends TeamsEvents, OrganizationsEvents, PoliciesEvents, DomainsEvents, SsoEvents, KeysEvents {
  'tessera.events.identity.user.created': UserCreatedEvent;
  'tessera.events.identity.session.revoked': SessionRevokedEvent;
  'tessera.events.identity.identity.linked': IdentityLinkedEvent;
  'tessera.events.identity.identity.unlinked': IdentityLinkedEvent;
}

export type EventSubject = keyof EventContract & string;
export type EventPayload<E extends EventSubject> = EventContract[E];

/** What a consumer receives: the payload with the metadata every event carries. */
export interface EventEnvelope<E extends EventSubject = EventSubject> {
  /** UUIDv7; also the message's `Nats-Msg-Id`, so consumers and JetStream deduplicate on it. */
  id: string;
  type: E;
  occurredAt: string;
  requestId?: string;
  data: EventPayload<E>;
}

export const EVENTS_STREAM = 'TESSERA_EVENTS';
export const EVENTS_SUBJECTS = 'tessera.events.>';
