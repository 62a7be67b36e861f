/**
 * One CSV cell. Values that a spreadsheet would run as a formula (leading = + - @, tab or CR) are
 * prefixed with an apostrophe: an exported name like `=HYPERLINK(…)` stays text.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = Array.isArray(value) ? value.join('; ') : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** Excel opens UTF-8 CSV (Chinese names included) correctly only with a byte-order mark. */
export const CSV_BOM = '\uFEFF';
