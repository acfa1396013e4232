import { commonVariables, loadConfigOrExit } from '@tessera/config';
import { createRedis, withTimeout } from '@tessera/runtime';
import { Job, Queue } from 'bullmq';
import {
  MAIL_QUEUE,
  MailJobData,
  describeRecipient,
  mailQueueConnection,
  mailQueuePrefix,
} from '../apps/notifications/src/mail/mail-job';

const USAGE = `Usage: npm run notifications:failed [-- --retry <id|all>]

Lists the e-mails that failed for good (out of attempts, or refused for a reason no retry could fix): the job
id (= the event id), recipient, subject, attempts made and the last error.

  --retry <id>   sends that e-mail again, with a full set of attempts
  --retry all    the same for every failed e-mail
  --help         this text

Reads TESSERA_REDIS_URL and TESSERA_REDIS_PREFIX like the services do.
`;

type Command = { action: 'list' } | { action: 'retry'; target: string } | { action: 'help' };

function parse(args: string[]): Command | string {
  if (args.length === 0) return { action: 'list' };
  if (args.includes('--help') || args.includes('-h')) return { action: 'help' };
  if (args[0] === '--retry' && args.length === 2 && args[1]) return { action: 'retry', target: args[1] };
  if (args[0].startsWith('--retry=') && args.length === 1)
    return { action: 'retry', target: args[0].slice(8) };
  return `unexpected arguments: ${args.join(' ')}`;
}

function describe(job: Job<MailJobData>): string {
  const { to, subject, eventType } = job.data;
  const failedAt = job.finishedOn ? new Date(job.finishedOn).toISOString() : 'unknown';
  return [
    `${job.id}`,
    `  to:        ${describeRecipient(to ?? {})}`,
    `  subject:   ${subject}`,
    `  event:     ${eventType}`,
    `  attempts:  ${job.attemptsMade} of ${job.opts.attempts ?? 1}, failed at ${failedAt}`,
    `  error:     ${job.failedReason ?? 'unknown'}`,
  ].join('\n');
}

async function failedJobs(queue: Queue<MailJobData>): Promise<Job<MailJobData>[]> {
  return (await queue.getFailed(0, -1)).filter(Boolean) as Job<MailJobData>[];
}

async function list(queue: Queue<MailJobData>): Promise<number> {
  const jobs = await failedJobs(queue);
  if (jobs.length === 0) {
    process.stdout.write('No failed e-mails.\n');
    return 0;
  }
  process.stdout.write(`${jobs.length} failed e-mail${jobs.length === 1 ? '' : 's'}:\n\n`);
  process.stdout.write(`${jobs.map(describe).join('\n\n')}\n\n`);
  process.stdout.write('Send again: npm run notifications:failed -- --retry <id>   (or --retry all)\n');
  return 0;
}

async function retry(queue: Queue<MailJobData>, target: string): Promise<number> {
  let jobs: Job<MailJobData>[];
  if (target === 'all') {
    jobs = await failedJobs(queue);
  } else {
    const job = (await queue.getJob(target)) as Job<MailJobData> | undefined;
    if (!job) {
      process.stderr.write(`No e-mail job has the id ${target}.\n`);
      return 1;
    }
    const state = await job.getState();
    if (state !== 'failed') {
      process.stderr.write(`E-mail ${target} is ${state}, not failed: nothing to retry.\n`);
      return 1;
    }
    jobs = [job];
  }
  for (const job of jobs) {
    // A full set of attempts again: the cause (SMTP down, a wrong setting) was presumably fixed.
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    process.stdout.write(
      `Retrying ${job.id}: ${describeRecipient(job.data.to ?? {})} "${job.data.subject}"\n`,
    );
  }
  if (jobs.length === 0) process.stdout.write('No failed e-mails.\n');
  return 0;
}

async function main(): Promise<number> {
  const command = parse(process.argv.slice(2));
  if (typeof command === 'string') {
    process.stderr.write(`${command}\n\n${USAGE}`);
    return 2;
  }
  if (command.action === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const config = loadConfigOrExit({
    redisUrl: commonVariables.redisUrl,
    redisPrefix: commonVariables.redisPrefix,
  });

  // BullMQ waits for Redis forever; say at once when it is not there instead.
  const probe = createRedis(config.redisUrl, 'tessera-notifications-failed');
  probe.on('error', () => undefined);
  try {
    await withTimeout(
      probe.connect().then(() => probe.ping()),
      3000,
    );
  } catch (error) {
    const { host, port } = new URL(config.redisUrl);
    process.stderr.write(
      `Redis is not reachable at ${host || '127.0.0.1'}${port ? '' : ':6379'} (${error instanceof Error ? error.message : error}).\n`,
    );
    return 1;
  } finally {
    probe.disconnect();
  }

  const queue = new Queue<MailJobData>(MAIL_QUEUE, {
    connection: mailQueueConnection(config.redisUrl, 'tessera-notifications-failed'),
    prefix: mailQueuePrefix(config.redisPrefix),
    skipMetasUpdate: true, // a look at the queue writes nothing
  });
  try {
    return command.action === 'list' ? await list(queue) : await retry(queue, command.target);
  } finally {
    await queue.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : error}\n`);
    process.exit(1);
  },
);
