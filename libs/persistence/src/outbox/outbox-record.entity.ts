import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An event waiting to be (or already) published; written in the same transaction as the change it describes. */
@Entity({ name: 'outbox' })
export class OutboxRecord {
  /** The event id (UUIDv7), also the JetStream `Nats-Msg-Id`. */
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  subject!: string;

  /** The whole `EventEnvelope`, published as is. */
  @Column('jsonb')
  envelope!: object;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  /** Null until JetStream acknowledged the event; the relay only reads rows where it is null. */
  @Column('timestamptz', { name: 'published_at', nullable: true })
  publishedAt!: Date | null;
}
