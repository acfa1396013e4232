import Table from 'cli-table3';
import { createSpinner } from 'nanospinner';

/** Aligned columns without borders, as `kubectl get` and `gh … list` print them. */
const PLAIN_COLUMNS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '   ',
};

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | null | undefined;
}

/**
 * Results go to standard output (a table, or JSON with `--json`, for scripts); progress and notes go to standard
 * error, so `tessera … --json | jq` always reads clean JSON.
 */
export class Output {
  constructor(
    readonly json: boolean,
    private readonly stdout: NodeJS.WriteStream = process.stdout,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {}

  /** A listing: a table for people, or the API's objects as JSON. */
  list<T>(rows: T[], columns: Column<T>[], empty: string): void {
    if (this.json) return this.data(rows);
    if (rows.length === 0) return this.note(empty);
    const table = new Table({
      head: columns.map((column) => column.header),
      chars: PLAIN_COLUMNS,
      style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    });
    for (const row of rows) table.push(columns.map((column) => String(column.value(row) ?? '-')));
    this.stdout.write(`${table.toString().replace(/ +$/gm, '')}\n`);
  }

  /** One object: as JSON, or as the sentence people read. */
  result(value: unknown, sentence: string): void {
    if (this.json) this.data(value);
    else this.line(sentence);
  }

  /** One line of output for people (and for `$(…)`), e.g. a secret shown once. */
  line(text: string): void {
    this.stdout.write(`${text}\n`);
  }

  data(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  note(text: string): void {
    this.stderr.write(`${text}\n`);
  }

  /** A spinner on a terminal; a plain line (once) when output is piped or logged. */
  progress(text: string): { done(text: string): void; fail(text: string): void } {
    if (!this.stderr.isTTY) {
      this.note(text);
      return { done: (end) => this.note(end), fail: (end) => this.note(end) };
    }
    const spinner = createSpinner(text, { stream: this.stderr }).start();
    return {
      done: (end) => spinner.success({ text: end }),
      fail: (end) => spinner.error({ text: end }),
    };
  }
}

export function date(value: string | null | undefined): string | undefined {
  return value ? value.replace(/\.\d+Z$/, 'Z').replace('T', ' ') : undefined;
}
