import { VariableSpec } from './variable';

/**
 * The README's configuration table, from the same definitions the processes validate against. Columns are padded
 * the way Prettier formats Markdown tables, so the formatted README and this output stay byte-for-byte equal.
 */
export function configTable(spec: VariableSpec): string {
  const rows = [
    ['Variable', 'Default', 'Meaning'],
    ...Object.values(spec).map((v) => [
      `\`${v.name}\``,
      v.defaultValue !== undefined ? `\`${v.defaultValue}\`` : v.optional ? '_(unset)_' : '_(required)_',
      v.description,
    ]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  const [header, ...body] = rows;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join('\n');
}
