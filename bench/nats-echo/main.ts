/**
 * NATS request-reply echo — the performance baseline of Tessera.
 *
 * The raw nats.js figures measured here are the floor that every later performance target is stated against
 * ("an RPC costs at most N× a raw NATS echo"): they are what the machine, the NATS server and the client
 * library give before any of our code runs. The same echo through Nest's transport and through our
 * RpcClient shows what each layer adds. State targets as ratios to raw measured in the same run, not as
 * absolute figures: absolute figures change with the machine, ratios much less.
 *
 * Requesters and responders share this one process (and its one event loop), so each figure is the cost of
 * both ends of a call; the 64-in-flight throughput is what one Node process sustains playing both parts.
 */
import 'reflect-metadata';
import { INestMicroservice } from '@nestjs/common';
import { ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import { commonVariables, loadConfigOrExit } from '@tessera/config';
import { RpcClient } from '@tessera/contracts';
import { JSONCodec, NatsConnection, connect } from 'nats';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { firstValueFrom, timeout } from 'rxjs';
import { Call, runInterleaved, runLoad } from '../lib/load';
import { LatencySummary, summarize } from '../lib/stats';
import { formatInteger, formatRatio, renderTable } from '../lib/table';
import { startNestEchoApp } from './nest-echo-app';
import { count, progress } from '../lib/cli';

const IN_FLIGHT = 64;
/** The 64-in-flight phase measures this many times the sequential count: it runs that much faster. */
const CONCURRENT_FACTOR = 5;
const DEFAULT_SEQUENTIAL = 10_000;
const DEFAULT_WARMUP = 2_000;
const DEFAULT_ROUNDS = 5;
/** Generous on purpose: a timeout here means something is broken, not slow, and fails the run. */
const TIMEOUT_MS = 5_000;

const USAGE = `Usage: npm run bench:nats-echo -- [--requests N] [--warmup N] [--rounds N]

Measures a NATS request-reply echo three ways in one run: raw nats.js (the baseline), Nest's NATS client
against a Nest microservice, and Tessera's RpcClient against the same microservice. For each: p50/p99 with
1 request in flight, then throughput and p50/p99 with ${IN_FLIGHT} in flight.

Options:
  --requests N  requests measured with 1 in flight per client (default ${formatInteger(DEFAULT_SEQUENTIAL)});
                the ${IN_FLIGHT}-in-flight phase measures ${CONCURRENT_FACTOR}×N
  --warmup N    unmeasured requests per client before measuring (default ${formatInteger(DEFAULT_WARMUP)})
  --rounds N    each phase alternates between the clients in N rounds, so that drift in the machine's
                speed hits all of them alike (default ${DEFAULT_ROUNDS})
  --help        show this text

Connects to TESSERA_NATS_URL (default nats://127.0.0.1:4222) under a random subject prefix, so it can run
beside a live Tessera. Prints a table, ratios to raw, and one JSON line with every figure.`;

/** ~100 bytes of JSON, shaped like a typical Tessera request. */
const PAYLOAD = {
  requestId: '0f8e1c2a-5b7d-4e39-9a61-3c2d4b5e6f70',
  actor: 'usr_01J9ZK8Q4W',
  action: 'teams.read',
};

type TargetKey = 'raw' | 'nest' | 'rpcClient';

interface Target {
  key: TargetKey;
  label: string;
  call: Call;
  /** One request whose reply is decoded, to prove the echo is really an echo before it is timed. */
  echoOnce: () => Promise<unknown>;
}

interface TargetResult {
  sequential: LatencySummary;
  concurrent: LatencySummary & { throughput: number };
}

interface Options {
  sequential: number;
  concurrent: number;
  warmup: number;
  rounds: number;
}

function parseOptions(argv: string[]): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      requests: { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const sequential = count('--requests', values.requests, DEFAULT_SEQUENTIAL, 1);
  return {
    sequential,
    concurrent: sequential * CONCURRENT_FACTOR,
    warmup: count('--warmup', values.warmup, DEFAULT_WARMUP, 0),
    rounds: count('--rounds', values.rounds, DEFAULT_ROUNDS, 1),
  };
}

/** Proves each client really echoes, then warms it up (JIT, connection buffers) before anything is timed. */
async function prepare(targets: Target[], options: Options): Promise<void> {
  for (const target of targets) {
    const reply = await target.echoOnce();
    if (!isDeepStrictEqual(reply, PAYLOAD)) {
      throw new Error(`${target.label} did not echo the payload: got ${JSON.stringify(reply)}`);
    }
    progress(`${target.label}: warm-up (${formatInteger(options.warmup)})`);
    if (options.warmup > 0) await runLoad(target.call, options.warmup, IN_FLIGHT);
  }
}

async function measure(targets: Target[], options: Options): Promise<Record<TargetKey, TargetResult>> {
  const calls = Object.fromEntries(targets.map(({ key, call }) => [key, call])) as Record<TargetKey, Call>;
  const phase =
    (name: string) =>
    (round: number, rounds: number): void =>
      progress(`${name}: round ${round}/${rounds}`);
  const sequential = await runInterleaved(calls, options.sequential, 1, options.rounds, phase('1 in flight'));
  const concurrent = await runInterleaved(
    calls,
    options.concurrent,
    IN_FLIGHT,
    options.rounds,
    phase(`${IN_FLIGHT} in flight`),
  );
  const result = (key: TargetKey): TargetResult => ({
    sequential: summarize(sequential[key].samplesUs),
    concurrent: { ...summarize(concurrent[key].samplesUs), throughput: concurrent[key].throughput },
  });
  return { raw: result('raw'), nest: result('nest'), rpcClient: result('rpcClient') };
}

async function main(): Promise<void> {
  let options: Options | 'help';
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }

  // Only the NATS setting: the bench must not fail on a variable it does not use.
  const { natsUrls: servers } = loadConfigOrExit({ natsUrls: commonVariables.natsUrls });
  const prefix = `bench.${randomBytes(4).toString('hex')}.`;
  const rawSubject = `${prefix}echo.raw`;
  const nestSubject = `${prefix}echo.nest`;
  const codec = JSONCodec<unknown>();

  // Closed in reverse order of opening, whatever happens, so the process always exits by itself.
  const closers: Array<() => Promise<unknown>> = [];
  try {
    // Responders and requesters on separate connections in every case, as between two services.
    const responder = await connect({ servers, name: 'bench-nats-echo-raw-responder' }).catch((error) => {
      // nats.js says only CONNECTION_REFUSED, without the address.
      throw new Error(`cannot reach NATS at ${servers.join(',')}: ${(error as Error).message}`);
    });
    closers.push(() => responder.close());
    responder.subscribe(rawSubject, {
      callback: (err, msg) => {
        if (err) progress(`raw responder: ${err.message}`);
        else msg.respond(msg.data);
      },
    });
    await responder.flush();

    const requester: NatsConnection = await connect({ servers, name: 'bench-nats-echo-requester' });
    closers.push(() => requester.close());

    const app: INestMicroservice = await startNestEchoApp(servers, nestSubject);
    closers.push(() => app.close());

    const nestClient: ClientProxy = ClientProxyFactory.create({
      transport: Transport.NATS,
      options: { servers, name: 'bench-nats-echo-nest-client' },
    });
    closers.push(async () => nestClient.close());
    await nestClient.connect();

    // RpcClient shares the raw requester's connection: the phases never overlap, and a service holds one too.
    const rpc = new RpcClient(requester, { timeoutMs: TIMEOUT_MS });

    // The raw baseline is bytes in, bytes out: the payload is encoded once, and the reply is not decoded.
    const rawPayload = codec.encode(PAYLOAD);
    // Nest's client waits forever by default; the timeout puts it on the same footing as the other two.
    const nestCall = (): Promise<unknown> =>
      firstValueFrom(nestClient.send(nestSubject, PAYLOAD).pipe(timeout(TIMEOUT_MS)));
    // The echo subject exists only in this bench, so it is rightly absent from RpcContract (the subjects
    // services answer, with their payload types); `as never` widens this one call instead of adding a fake
    // subject to the contract.
    const rpcCall = (): Promise<unknown> => rpc.request(nestSubject as never, PAYLOAD as never);

    const targets: Target[] = [
      {
        key: 'raw',
        label: 'raw nats.js',
        call: () => requester.request(rawSubject, rawPayload, { timeout: TIMEOUT_MS }),
        echoOnce: async () =>
          codec.decode((await requester.request(rawSubject, rawPayload, { timeout: TIMEOUT_MS })).data),
      },
      { key: 'nest', label: 'Nest ClientProxy', call: nestCall, echoOnce: nestCall },
      { key: 'rpcClient', label: 'Tessera RpcClient', call: rpcCall, echoOnce: rpcCall },
    ];

    const payloadBytes = rawPayload.length;
    progress(
      `nats-echo: ${servers.join(',')} (server ${requester.info?.version ?? '?'}), subjects ${prefix}*, ` +
        `payload ${payloadBytes} B`,
    );
    await prepare(targets, options);
    const results = await measure(targets, options);

    report(targets, results, options, {
      servers,
      serverVersion: requester.info?.version ?? 'unknown',
      payloadBytes,
    });
  } finally {
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch (error) {
        progress(`while closing: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

function report(
  targets: Target[],
  results: Record<TargetKey, TargetResult>,
  options: Options,
  run: { servers: string[]; serverVersion: string; payloadBytes: number },
): void {
  const us = (value: number): string => value.toFixed(1);
  const raw = results.raw;
  const ratios = (result: TargetResult) => ({
    p50Sequential: result.sequential.p50Us / raw.sequential.p50Us,
    p50Concurrent: result.concurrent.p50Us / raw.concurrent.p50Us,
    throughput: result.concurrent.throughput / raw.concurrent.throughput,
  });
  const cpus = os.cpus();

  const lines = [
    '',
    `NATS request-reply echo — ${run.servers.join(',')} (nats-server ${run.serverVersion}), ` +
      `payload ${run.payloadBytes} B JSON`,
    `node ${process.version}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}`,
    `per client: warm-up ${formatInteger(options.warmup)}, ` +
      `1 in flight ${formatInteger(options.sequential)}, ` +
      `${IN_FLIGHT} in flight ${formatInteger(options.concurrent)} requests, ` +
      `interleaved in ${options.rounds} rounds; latencies in µs`,
    '',
    renderTable(
      ['client', '1: p50', '1: p99', `${IN_FLIGHT}: req/s`, `${IN_FLIGHT}: p50`, `${IN_FLIGHT}: p99`],
      targets.map(({ key, label }) => {
        const { sequential, concurrent } = results[key];
        return [
          label,
          us(sequential.p50Us),
          us(sequential.p99Us),
          formatInteger(concurrent.throughput),
          us(concurrent.p50Us),
          us(concurrent.p99Us),
        ];
      }),
    ),
    '',
    renderTable(
      ['ratio to raw', 'p50 at 1', `p50 at ${IN_FLIGHT}`, 'throughput'],
      targets
        .filter(({ key }) => key !== 'raw')
        .map(({ key, label }) => {
          const ratio = ratios(results[key]);
          return [
            label,
            formatRatio(ratio.p50Sequential),
            formatRatio(ratio.p50Concurrent),
            formatRatio(ratio.throughput),
          ];
        }),
    ),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  const round = (value: number, digits: number): number => Number(value.toFixed(digits));
  const figures = (result: TargetResult) => ({
    sequential: { p50Us: round(result.sequential.p50Us, 1), p99Us: round(result.sequential.p99Us, 1) },
    concurrent: {
      throughput: Math.round(result.concurrent.throughput),
      p50Us: round(result.concurrent.p50Us, 1),
      p99Us: round(result.concurrent.p99Us, 1),
    },
  });
  const roundedRatios = (result: TargetResult) =>
    Object.fromEntries(Object.entries(ratios(result)).map(([name, value]) => [name, round(value, 3)]));
  const json = {
    bench: 'nats-echo',
    at: new Date().toISOString(),
    node: process.version,
    natsServer: run.serverVersion,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    payloadBytes: run.payloadBytes,
    warmup: options.warmup,
    sequentialRequests: options.sequential,
    concurrentRequests: options.concurrent,
    inFlight: IN_FLIGHT,
    rounds: options.rounds,
    results: { raw: figures(raw), nest: figures(results.nest), rpcClient: figures(results.rpcClient) },
    ratios: { nest: roundedRatios(results.nest), rpcClient: roundedRatios(results.rpcClient) },
  };
  process.stdout.write(`${JSON.stringify(json)}\n`);
}

main().catch((error: unknown) => {
  progress(`nats-echo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
