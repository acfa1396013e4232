import { Injectable } from '@nestjs/common';
import { EventEnvelope, EventPayload, EventSubject, eventSchema } from '@tessera/contracts';
import { currentRequestId } from '@tessera/runtime';
import { currentTraceparent } from '@tessera/telemetry';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { OutboxRecord } from './outbox-record.entity';

/** Marks a transaction that wrote events, so the relay is woken when (and only if) it commits. */
export const OUTBOX_WRITTEN = 'tessera.outboxWritten';

/**
 * Records events as part of a change. Call it with the transaction's manager: the event exists exactly when the
 * change does, and is published after commit by the relay — never before, never lost.
 */
@Injectable()
export class OutboxWriter {
  async add<E extends EventSubject>(
    manager: EntityManager,
    type: E,
    data: EventPayload<E>,
  ): Promise<EventEnvelope<E>> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('OutboxWriter.add needs the entity manager of an open transaction');
    }
    // A payload that breaks its schema is a bug of the writer: it fails the change rather than every consumer.
    eventSchema(type)?.parse(data);
    const envelope: EventEnvelope<E> = {
      id: uuidv7(),
      type,
      occurredAt: new Date().toISOString(),
      requestId: currentRequestId(),
      traceparent: currentTraceparent(),
      data,
    };
    await manager.insert(OutboxRecord, { id: envelope.id, subject: type, envelope });
    manager.queryRunner.data[OUTBOX_WRITTEN] = true;
    return envelope;
  }
}
