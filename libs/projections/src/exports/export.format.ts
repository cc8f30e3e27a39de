import { stringify } from 'csv-stringify/sync';
import type { ExportRow } from './export.rows';

export type ExportFormat = 'ndjson' | 'csv';

// Numbers are written with every digit JavaScript keeps (String(n)), so a
// CSV read back gives the API's figures exactly; null is an empty cell.
const cell = (value: ExportRow[string]): string => (value === null ? '' : String(value));

/** The header line of a CSV export (RFC 4180, CRLF line ends, as spreadsheets expect). */
export const csvHeader = (columns: readonly string[]): string =>
  stringify([columns as string[]], { record_delimiter: 'windows' });

/** Rows as CSV lines (no header), quoted where a cell needs it. */
export const csvLines = (rows: readonly ExportRow[], columns: readonly string[]): string =>
  rows.length === 0
    ? ''
    : stringify(
        rows.map((row) => columns.map((column) => cell(row[column] ?? null))),
        { record_delimiter: 'windows' },
      );

export const ndjsonLines = (rows: readonly ExportRow[]): string =>
  rows.map((row) => `${JSON.stringify(row)}\n`).join('');

/** Rows in the format asked, header first for CSV. */
export const formatRows = (
  rows: readonly ExportRow[],
  columns: readonly string[],
  format: ExportFormat,
  withHeader = true,
): string =>
  format === 'csv' ? `${withHeader ? csvHeader(columns) : ''}${csvLines(rows, columns)}` : ndjsonLines(rows);
