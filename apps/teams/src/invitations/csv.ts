/**
 * A small RFC 4180 reader: quoted fields (with `""` for a quote, commas and line breaks inside), CRLF or LF,
 * a leading byte-order mark, and blank lines skipped. Returns each record with the line it starts on (1-based),
 * so results can point at the line a person sees in their editor.
 */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const input = text.replace(/^\uFEFF/, '');
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let fieldStarted = false;

  const endRecord = () => {
    if (fieldStarted || fields.length > 0 || field !== '') fields.push(field);
    if (!(fields.length === 1 && fields[0].trim() === '') && fields.length > 0)
      records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    fieldStarted = false;
  };

  for (let i = 0; i < input.length; i += 1) {
    const c = input[i];
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') {
        quoted = false;
      } else {
        if (c === '\n') line += 1;
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
      fieldStarted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
      fieldStarted = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && input[i + 1] === '\n') i += 1;
      endRecord();
      line += 1;
      recordLine = line;
    } else {
      field += c;
    }
  }
  if (quoted) throw new Error(`a quoted field that starts on line ${recordLine} is never closed`);
  endRecord();
  return records;
}
