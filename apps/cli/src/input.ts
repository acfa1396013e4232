import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import { UsageError } from './errors';

/** The text of a file named on the command line, or of standard input for `-`; an unreadable file is a usage error. */
export function readInput(file: string): Promise<string> {
  const read = file === '-' ? text(process.stdin) : readFile(file, 'utf8');
  return read.catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`Cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}.`);
  });
}

/** How a file named on the command line is called in messages. */
export function inputName(file: string): string {
  return file === '-' ? 'standard input' : file;
}
