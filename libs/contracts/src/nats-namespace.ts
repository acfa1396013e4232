/** The prefix of an installation that sets none: subjects, streams and names exactly as the contracts spell them. */
export const DEFAULT_NATS_PREFIX = 'tessera';

const CANONICAL_SUBJECT = `${DEFAULT_NATS_PREFIX}.`;
const CANONICAL_STREAM = `${DEFAULT_NATS_PREFIX.toUpperCase()}_`;

/**
 * Where one installation lives on a NATS it may share with others (`TESSERA_NATS_PREFIX`). The code everywhere
 * names the canonical `tessera.…` subjects and `TESSERA_…` streams of the contracts; only the transport (RPC
 * client, responders, event publishing and consuming) asks this for the names on the wire, so two installations
 * with different prefixes never see each other's calls or events. Durable consumers live inside a stream, so the
 * stream's name keeps theirs apart.
 *
 * The prefix is checked by `libs/config`: one lowercase subject token, so no installation's subjects can nest
 * inside another's (`acme` and `acme.events` would), and no two prefixes give the same upper-case stream name.
 */
export class NatsNamespace {
  constructor(readonly prefix: string = DEFAULT_NATS_PREFIX) {}

  /** `tessera.authz.check` → `<prefix>.authz.check`; also for wildcard filters such as `tessera.events.>`. */
  subject(canonical: string): string {
    if (!canonical.startsWith(CANONICAL_SUBJECT)) throw new Error(`not a Tessera subject: ${canonical}`);
    return `${this.prefix}.${canonical.slice(CANONICAL_SUBJECT.length)}`;
  }

  /** `TESSERA_EVENTS` → `<PREFIX>_EVENTS`. */
  stream(canonical: string): string {
    if (!canonical.startsWith(CANONICAL_STREAM)) throw new Error(`not a Tessera stream: ${canonical}`);
    return `${this.prefix.toUpperCase()}_${canonical.slice(CANONICAL_STREAM.length)}`;
  }
}
