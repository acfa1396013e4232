import { HttpStandIn, StandInReply } from '@tessera/testing';
import { TesseraClient } from './client';
import { Credential } from './credentials';
import { TesseraApiError } from './errors';

/** A stand-in API answering each request with the next scripted reply. */
const stubApi = (replies: StandInReply[]) =>
  HttpStandIn.start(() => ({
    ...(replies.shift() ?? { status: 500 }),
    headers: { 'x-request-id': 'req-1' },
  }));

function bearer(tokens: string[]): Credential & { renewals: number } {
  return {
    type: 'bearer',
    source: 'login',
    why: 'test',
    renewals: 0,
    authorization: async () => `Bearer ${tokens[0]}`,
    async renew() {
      this.renewals += 1;
      tokens.shift();
      return tokens.length > 0;
    },
  };
}

const refused = (code: string) => ({ error: { code, message: `${code}.`, requestId: 'req-1' } });
const KEY = { name: 'ci', scope: 'API' } as const;
const ACCOUNT = '8d0f6c36-4a7e-4b8f-9a55-2f1f0f3f9a10';

describe('TesseraClient', () => {
  let api: HttpStandIn;
  afterEach(() => api.stop());

  it('sends the credential and the account, and the request again once after renewing a rejected token', async () => {
    api = await stubApi([
      { status: 401, body: refused('invalid_token') },
      { status: 201, body: { secret: 'tsk_x' } },
    ]);
    const credential = bearer(['old', 'new']);
    const client = new TesseraClient({ host: api.url, credential, account: ACCOUNT });

    await expect(client.createKey(ACCOUNT, KEY)).resolves.toEqual({ secret: 'tsk_x' });
    expect(credential.renewals).toBe(1);
    expect(api.seen.map((request) => request.headers.authorization)).toEqual(['Bearer old', 'Bearer new']);
    expect(api.seen.map((request) => request.headers['x-tessera-account'])).toEqual([ACCOUNT, ACCOUNT]);
    expect(api.seen.map((request) => JSON.parse(request.body))).toEqual([KEY, KEY]);
  });

  it('renews a login refused as invalid credentials too, as routes that also take a key answer', async () => {
    api = await stubApi([
      { status: 401, body: refused('invalid_credentials') },
      { status: 200, body: [] },
    ]);
    const credential = bearer(['old', 'new']);
    const client = new TesseraClient({ host: api.url, credential });
    await expect(client.keys(ACCOUNT)).resolves.toEqual([]);
    expect(api.seen.map((request) => request.headers.authorization)).toEqual(['Bearer old', 'Bearer new']);
  });

  it('sends it again once only', async () => {
    api = await stubApi([
      { status: 401, body: refused('invalid_token') },
      { status: 401, body: refused('invalid_token') },
    ]);
    const credential = bearer(['a', 'b', 'c']);
    const client = new TesseraClient({ host: api.url, credential });
    await expect(client.keys(ACCOUNT)).rejects.toMatchObject({ code: 'invalid_token', status: 401 });
    expect(api.seen).toHaveLength(2);
  });

  it('turns the error envelope into a TesseraApiError with its details', async () => {
    const details = [{ path: 'name', message: 'Give a name.' }];
    api = await stubApi([
      { status: 400, body: { error: { ...refused('validation_failed').error, details } } },
    ]);
    const client = new TesseraClient({ host: api.url, credential: bearer(['t']) });
    const error = await client.createKey(ACCOUNT, KEY).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TesseraApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'validation_failed',
      message: 'validation_failed.',
      requestId: 'req-1',
      details,
    });
  });
});
