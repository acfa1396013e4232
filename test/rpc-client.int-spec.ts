import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { RpcClient, ServiceUnavailableError, TesseraError } from '@tessera/contracts';
import {
  CommandTokenSigner,
  createLogger,
  createServiceApp,
  currentRequestId,
  requestContext,
} from '@tessera/runtime';
import { LogCapture, TestEnvironment } from '@tessera/testing';
import { NatsConnection, connect } from 'nats';

// Subjects only this spec answers; cast where the typed client expects a known subject.
const ECHO_ID = 'tessera.keys.probe.request-id';
const REFUSE = 'tessera.keys.probe.refuse';
const CRASH = 'tessera.keys.probe.crash';
const SILENT = 'tessera.keys.probe.silent';

@Controller()
class ProbeController {
  @MessagePattern(ECHO_ID)
  echoRequestId(): { requestId?: string } {
    return { requestId: currentRequestId() };
  }

  @MessagePattern(REFUSE)
  refuse(): never {
    throw new TesseraError('not_found', 'There is no such probe.');
  }

  @MessagePattern(CRASH)
  crash(): never {
    throw new Error('database password is hunter2');
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe('RpcClient against a Nest service over real NATS', () => {
  let environment: TestEnvironment;
  let service: INestMicroservice;
  let nc: NatsConnection;
  let client: RpcClient;
  let signer: CommandTokenSigner;
  const logs = new LogCapture();

  const call = (subject: string, timeoutMs?: number) =>
    client.request(subject as never, {} as never, { timeoutMs });

  beforeAll(async () => {
    environment = await TestEnvironment.start();
    const config = environment.config();
    const logger = createLogger('keys', 'debug', logs);
    service = await createServiceApp('keys', { module: ProbeModule }, config, logger);
    await service.listen();
    nc = await connect({ servers: environment.nats.url });
    nc.subscribe(SILENT, { callback: () => undefined });
    signer = new CommandTokenSigner([environment.secretKey]);
    client = new RpcClient(nc, { timeoutMs: 400, currentRequestId, signer });
  });

  afterAll(async () => {
    await nc?.close();
    await service?.close();
    await environment?.stop();
  });

  it("carries the caller's request id into the handler and its log lines", async () => {
    const reply = await requestContext.run({ requestId: 'rpc-trace-0001' }, () => call(ECHO_ID));
    expect(reply).toEqual({ requestId: 'rpc-trace-0001' });
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        service: 'keys',
        requestId: 'rpc-trace-0001',
        subject: ECHO_ID,
        msg: 'handled',
      }),
    );
  });

  it('gives a fresh request id to a call that came without one', async () => {
    const reply = (await call(ECHO_ID)) as { requestId?: string };
    expect(reply.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('signs each call with a command token the service accepts; without a signer it is refused', async () => {
    await expect(call(ECHO_ID)).resolves.toHaveProperty('requestId');
    const unsigned = new RpcClient(nc, { timeoutMs: 400 });
    await expect(unsigned.request(ECHO_ID as never, {} as never)).rejects.toMatchObject({
      code: 'unauthorized_caller',
    });
  });

  it('keeps the code and message of a domain error across the hop', async () => {
    const error = await call(REFUSE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TesseraError);
    expect(error).toMatchObject({ code: 'not_found', message: 'There is no such probe.' });
  });

  it('turns an unexpected error into a bare internal error and logs it only on the service side', async () => {
    const error = await call(CRASH).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'internal', message: 'An internal error occurred.' });
    expect(JSON.stringify(error)).not.toContain('hunter2');
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ level: 'error', subject: CRASH, msg: 'unhandled error in a NATS handler' }),
    );
  });

  it('fails at once with service_unavailable when nobody listens', async () => {
    const started = Date.now();
    const error = await call('tessera.teams.probe.nobody', 5000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ code: 'service_unavailable', service: 'teams', reason: 'no_responders' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('fails with service_unavailable after the timeout when the responder hangs', async () => {
    const started = Date.now();
    const error = await call(SILENT).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(error).toMatchObject({ code: 'service_unavailable', service: 'keys', reason: 'timeout' });
    expect(elapsed).toBeGreaterThanOrEqual(380);
    expect(elapsed).toBeLessThan(2000);
  });

  it('fails within the timeout, without hanging, while NATS itself is down', async () => {
    await environment.nats.stop();
    try {
      const started = Date.now();
      const error = await call(ECHO_ID).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'service_unavailable', service: 'keys' });
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await environment.nats.resume();
    }
  });
});
