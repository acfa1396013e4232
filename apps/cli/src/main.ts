import { run } from './program';

// Exiting through process.exit runs the 'exit' listeners, which release a lock held on auth.json (decision 007);
// the default end on a signal would skip them. 128 + the signal's number, as a shell reports it.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

void run(process.argv, process.env).then((code) => {
  process.exitCode = code;
});
