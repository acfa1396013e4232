import { NatsOptions, ServerNats } from '@nestjs/microservices';
import { NatsNamespace } from '@tessera/contracts';
import { Msg, NatsConnection, SubscriptionOptions } from 'nats';

/**
 * Nest's NATS server for one installation: each handler's canonical subject (`@Rpc('tessera.keys.key.create')`) is
 * subscribed under the installation's prefix, and a message received there reaches the handler, the command-token
 * guard and the logs with its canonical subject again, so nothing above the transport knows the prefix.
 */
export class NamespacedServerNats extends ServerNats {
  constructor(
    options: NonNullable<NatsOptions['options']>,
    private readonly namespace: NatsNamespace,
  ) {
    super(options);
  }

  /** Nest subscribes every registered pattern here; the connection it is given subscribes the wire subject instead. */
  override bindEvents(client: NatsConnection): void {
    const subscribe = (subject: string, options?: SubscriptionOptions) =>
      client.subscribe(this.namespace.subject(subject), options);
    super.bindEvents(Object.create(client, { subscribe: { value: subscribe } }) as NatsConnection);
  }

  /** `channel` is the canonical subject the handler was registered for; the message shows it, not the wire's. */
  override handleMessage(channel: string, message: Msg): Promise<unknown> {
    return super.handleMessage(channel, Object.create(message, { subject: { value: channel } }) as Msg);
  }
}
