import * as dnsPacket from 'dns-packet';
import { Socket, createSocket } from 'node:dgram';

export type DnsFailure = 'servfail' | 'no-answer';

/** DNS response codes (RFC 1035 §4.1.1) the stand-in answers with. */
const RCODE = { noError: 0, serverFailure: 2, nameError: 3 } as const;
/** A TXT record carries its text in strings of at most 255 bytes; longer values are split across several. */
const TXT_CHUNK_BYTES = 255;

/**
 * A DNS server on a loopback UDP port, answering TXT queries from the records a test sets and NXDOMAIN for every
 * other name: the authority a verifier asks, without the internet. It can answer SERVFAIL or not at all, or stop and
 * start again on the same port, to play a broken, silent or unreachable resolver.
 */
export class DnsStandIn {
  private readonly records = new Map<string, string[]>();
  private socket?: Socket;
  private failure?: DnsFailure;

  private constructor(private port: number) {}

  static async start(): Promise<DnsStandIn> {
    const standIn = new DnsStandIn(0);
    await standIn.resume();
    return standIn;
  }

  /** The server as `TESSERA_DNS_SERVERS` takes it. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Publishes the TXT values of a name, replacing what it had; no values removes the name. */
  setTxt(name: string, values: string[]): void {
    if (values.length === 0) this.records.delete(normalize(name));
    else this.records.set(normalize(name), values);
  }

  /** Until called again without one, answers every query SERVFAIL, or drops it unanswered (a lookup times out). */
  failWith(failure: DnsFailure | undefined): void {
    this.failure = failure;
  }

  /** Listens again, on the port it had (a free one the first time). */
  async resume(): Promise<void> {
    if (this.socket) return;
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.port, '127.0.0.1', () => resolve());
    });
    socket.on('message', (message, peer) => {
      if (this.failure === 'no-answer') return;
      const reply = this.answer(message);
      if (reply) socket.send(reply, peer.port, peer.address);
    });
    socket.on('error', () => undefined);
    this.port = socket.address().port;
    this.socket = socket;
  }

  /** Stops listening (an unreachable DNS server); the records are kept. */
  async stop(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  private answer(message: Buffer): Buffer | undefined {
    let query: dnsPacket.DecodedPacket;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return undefined; // not DNS: a real server would drop it too
    }
    const questions = query.questions ?? [];
    const name = questions[0] ? normalize(questions[0].name) : '';
    const values = this.records.get(name);
    const rcode =
      this.failure === 'servfail' ? RCODE.serverFailure : values ? RCODE.noError : RCODE.nameError;
    const answers: dnsPacket.Answer[] =
      rcode === RCODE.noError && questions[0]?.type === 'TXT'
        ? values!.map((value) => ({ type: 'TXT', name: questions[0].name, ttl: 60, data: chunks(value) }))
        : [];
    return dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags:
        dnsPacket.AUTHORITATIVE_ANSWER |
        dnsPacket.RECURSION_AVAILABLE |
        ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) |
        rcode,
      questions,
      answers,
    });
  }
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

function chunks(value: string): Buffer[] {
  const bytes = Buffer.from(value, 'utf8');
  const parts: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += TXT_CHUNK_BYTES)
    parts.push(bytes.subarray(start, start + TXT_CHUNK_BYTES));
  return parts.length > 0 ? parts : [Buffer.alloc(0)];
}
