import { parse } from 'csv-parse/sync';
import { formatRows } from './export.format';

const columns = ['id', 'score', 'note', 'missing'];
const rows = [
  { id: 'a', score: 84.43890061065778, note: 'said "hello", then left\nfor good', missing: null },
  { id: 'b', score: 0.1 + 0.2, note: '', missing: null },
];

describe('an export in CSV', () => {
  const text = formatRows(rows, columns, 'csv');

  it('reads back, quotes and line breaks included, with every digit of each figure', () => {
    const back = parse(text, { columns: true }) as Record<string, string>[];
    expect(back.map((row) => row.note)).toEqual(['said "hello", then left\nfor good', '']);
    expect(back.map((row) => Number(row.score))).toEqual([84.43890061065778, 0.30000000000000004]);
  });

  it('has a header, CRLF line ends, and an empty cell for null', () => {
    expect(text.startsWith('id,score,note,missing\r\n')).toBe(true);
    expect((parse(text, { columns: true }) as Record<string, string>[])[1].missing).toBe('');
  });
});

describe('an export in ndjson', () => {
  it('is one JSON object per line, nulls kept', () => {
    const lines = formatRows(rows, columns, 'ndjson').trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual(rows);
  });
});
