/**
 * Bulk invitation, from request to inbox: the time from `POST /v1/teams/:id/invitations/bulk` with 50 rows to
 * the 50th e-mail in an SMTP sink, through the real stack (gateway → teams → outbox → JetStream → notifications →
 * BullMQ → SMTP). The baseline, measured in the same run against the same sink, is sending those 50 e-mails
 * straight from this process with nodemailer: the ratio is what the platform's path costs over bare SMTP.
 */
import { commonVariables, loadConfigOrExit } from '@tessera/config';
import { SmtpSink } from '@tessera/testing';
import { createTransport } from 'nodemailer';
import { parseArgs } from 'node:util';
import { signInBenchUser } from '../auth-bearer/bearer-token';
import { summarize } from '../lib/stats';
import { formatRatio, renderTable } from '../lib/table';
import { launchTessera } from '../lib/tessera-stack';

const ROWS = 50;
const USAGE = `Usage: npm run bench:bulk-invite -- [--rounds N]

Starts Tessera (as npm start does, on a database of its own) with an SMTP sink, then, N times: creates a team,
posts a 50-row CSV, and times until the 50th invitation e-mail arrives. Baseline: 50 e-mails sent directly.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { rounds: { type: 'string', default: '5' }, help: { type: 'boolean' } },
  });
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const rounds = Number(values.rounds);
  const config = loadConfigOrExit({
    databaseUrl: commonVariables.databaseUrl,
    natsUrls: commonVariables.natsUrls,
    redisUrl: commonVariables.redisUrl,
  });
  const sink = await SmtpSink.start();
  const stack = await launchTessera({ ...config, environment: { TESSERA_SMTP_URL: sink.url } });
  try {
    await Promise.race([stack.ready, stack.exited]);
    const { accessToken } = await signInBenchUser(stack.url, stack.databaseUrl);
    const post = (path: string, body: string, type: string) =>
      fetch(`${stack.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': type },
        body,
      });

    const platformMs: number[] = [];
    const directMs: number[] = [];
    const transport = createTransport(sink.url);
    for (let round = 0; round < rounds; round += 1) {
      const team = (await (
        await post('/v1/teams', JSON.stringify({ name: `Bench ${round}` }), 'application/json')
      ).json()) as {
        id: string;
      };
      const csv = [
        'email,role',
        ...Array.from({ length: ROWS }, (_, i) => `r${round}-${i}@bench.test,developer`),
      ].join('\n');
      const before = sink.messages.length;
      let started = performance.now();
      const response = await post(`/v1/teams/${team.id}/invitations/bulk`, csv, 'text/csv');
      if (response.status !== 200)
        throw new Error(`bulk invite answered ${response.status}: ${await response.text()}`);
      await sink.waitFor(before + ROWS, 60_000);
      platformMs.push(performance.now() - started);

      const direct = sink.messages.length;
      started = performance.now();
      await Promise.all(
        Array.from({ length: ROWS }, (_, i) =>
          transport.sendMail({
            from: 'bench@bench.test',
            to: `d${round}-${i}@bench.test`,
            subject: 'x',
            text: 'x',
          }),
        ),
      );
      await sink.waitFor(direct + ROWS, 60_000);
      directMs.push(performance.now() - started);
      process.stderr.write(`round ${round + 1}/${rounds}: ${platformMs.at(-1)!.toFixed(0)} ms\n`);
    }
    transport.close();

    // The summaries are in µs; these samples are in ms, so the figures read back as ms.
    const platform = summarize(Float64Array.from(platformMs));
    const direct = summarize(Float64Array.from(directMs));
    process.stdout.write(
      `${renderTable(
        ['path', 'p50 ms', 'max ms'],
        [
          ['bulk request → 50th e-mail', platform.p50Us.toFixed(0), platform.maxUs.toFixed(0)],
          ['50 e-mails sent directly (baseline)', direct.p50Us.toFixed(0), direct.maxUs.toFixed(0)],
        ],
      )}\nratio platform / direct (p50): ${formatRatio(platform.p50Us / direct.p50Us)}\n`,
    );
    process.stdout.write(
      `${JSON.stringify({
        bench: 'bulk-invite',
        rows: ROWS,
        rounds,
        platformP50Ms: platform.p50Us,
        directP50Ms: direct.p50Us,
        ratio: platform.p50Us / direct.p50Us,
      })}\n`,
    );
  } finally {
    await stack.stop();
    await sink.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bulk-invite bench failed: ${error instanceof Error ? error.message : error}\n`);
  process.exitCode = 1;
});
