import {
  AUTHZ_CHECK_SUBJECT,
  AuthzCheckReply,
  RPC_SCHEMAS,
  RpcSubject,
  TesseraError,
} from '@tessera/contracts';
import { JSONCodec } from 'nats';
import { GitHubPlatform } from './support/github-platform';

const codec = JSONCodec<unknown>();

/** Payloads no subject takes: not an object at all, and an object with a field no request schema declares. */
const MALFORMED: readonly unknown[] = ['nope', { unexpected: true }];

/**
 * Every subject of the contract map refuses a malformed payload with `validation_failed` before its handler
 * runs, and writes nothing. The subjects are read from `RPC_SCHEMAS`, so a subject described there is covered
 * here the day it is added.
 */
describe('NATS contracts', () => {
  let stack: GitHubPlatform;

  beforeAll(async () => {
    stack = await GitHubPlatform.start();
    const admin = await stack.fixtures.user('admin');
    await stack.fixtures.createTeam(admin, 'Bystanders');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** The number of rows of every table of every service, by table. */
  async function rowCounts(): Promise<Record<string, number>> {
    const tables = (await stack.platform.query(
      `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
        WHERE table_schema IN ('identity', 'teams', 'keys', 'notifications') AND table_type = 'BASE TABLE'
        ORDER BY 1`,
    )) as { name: string }[];
    const counts = await Promise.all(
      tables.map(async ({ name }) => {
        const [{ n }] = (await stack.platform.query(`SELECT count(*)::int AS n FROM ${name}`)) as {
          n: number;
        }[];
        return [name, n] as const;
      }),
    );
    return Object.fromEntries(counts);
  }

  async function refusal(subject: string, payload: unknown): Promise<TesseraError> {
    const outcome = await stack.rpc.request(subject as RpcSubject, payload as never).then(
      (reply: unknown) =>
        new Error(`${subject} answered ${JSON.stringify(reply)} to ${JSON.stringify(payload)}`),
      (error: unknown) => error,
    );
    if (!(outcome instanceof TesseraError)) throw outcome;
    return outcome;
  }

  it('answers validation_failed with details to a malformed payload on every subject, writing nothing', async () => {
    const subjects = Object.keys(RPC_SCHEMAS);
    expect(subjects.length).toBeGreaterThan(0);
    const before = await rowCounts();
    for (const subject of subjects)
      for (const payload of MALFORMED) {
        const { code, details = [] } = await refusal(subject, payload);
        // The subject and payload in the compared value name the culprit when it fails.
        expect({ subject, payload, code, detailed: details.length > 0 }).toEqual({
          subject,
          payload,
          code: 'validation_failed',
          detailed: true,
        });
      }
    expect(await rowCounts()).toEqual(before);
  });

  it('answers a validation_failed decision with details on the decision point', async () => {
    for (const payload of MALFORMED) {
      const reply = await stack.nc.request(AUTHZ_CHECK_SUBJECT, codec.encode(payload), { timeout: 5000 });
      const decision = codec.decode(reply.data) as AuthzCheckReply;
      expect(decision).toMatchObject({ allow: false, reason: 'validation_failed' });
      expect(decision.details?.length).toBeGreaterThan(0);
    }
  });
});
