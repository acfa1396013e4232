import { CsvError, InfoRecord, parse } from 'csv-parse/sync';

/**
 * Reads CSV (RFC 4180: quoted fields with `""` for a quote, commas and line breaks inside; CRLF or LF; a leading
 * byte-order mark; blank lines skipped) with csv-parse. Returns each record with the line it starts on (1-based),
 * so results can point at the line a person sees in their editor. A quote inside an unquoted field is kept as
 * text, as spreadsheets write it.
 */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const input = Buffer.from(text);
  const lines = new LineCounter(input);
  let parsed;
  try {
    parsed = parse(input, {
      bom: true,
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
    }) as unknown as { record: string[]; info: InfoRecord }[];
  } catch (error) {
    if (error instanceof CsvError && error.code === 'CSV_QUOTE_NOT_CLOSED')
      throw new Error(
        `a quoted field that starts on line ${lines.startOfRecordAt(Number(error.bytes))} is never closed`,
      );
    throw error;
  }
  const records: { line: number; fields: string[] }[] = [];
  let end = 0;
  for (const { record, info } of parsed) {
    const line = lines.startOfRecordAt(end);
    end = info.bytes;
    if (!(record.length === 1 && record[0].trim() === '')) records.push({ line, fields: record });
  }
  return records;
}

/** Line numbers of byte offsets, for offsets that only grow (csv-parse reports where records end, in bytes). */
class LineCounter {
  private offset = 0;
  private line = 1;

  constructor(private readonly input: Buffer) {}

  /** The line of the first record that starts at or after `offset`, past the empty lines csv-parse skipped. */
  startOfRecordAt(offset: number): number {
    let start = offset;
    while (this.input[start] === 0x0a || this.input[start] === 0x0d) start += 1;
    // Multi-byte UTF-8 characters never contain these two bytes, so counting bytes counts line breaks.
    const breaks = this.input
      .subarray(this.offset, start)
      .toString('latin1')
      .match(/\r\n|\r|\n/g);
    this.line += breaks?.length ?? 0;
    this.offset = start;
    return this.line;
  }
}
