import { run } from './program';

void run(process.argv, process.env).then((code) => {
  process.exitCode = code;
});
