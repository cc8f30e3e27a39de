// npx ts-node -r tsconfig-paths/register --transpile-only bench/rebuild-compare.ts <events.db>
// Rebuilds the read models from a store twice, as the embedded store's rebuild does and event by event through the
// runner, as of the same instant, and compares the two files table by table, every column and row (rowid order
// included). Exits 1 on the first difference.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@trustline/event-store';
import { rebuildReadModel } from '@trustline/projections';

export function compareReadModels(a: string, b: string): string[] {
  const [left, right] = [a, b].map((file) => new Database(file, { readonly: true }));
  const differences: string[] = [];
  try {
    const tables = (file: Database.Database) =>
      (
        file.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]
      ).filter((name) => !name.startsWith('sqlite_'));
    const names = tables(left);
    if (JSON.stringify(names) !== JSON.stringify(tables(right)))
      differences.push(`tables: ${names} / ${tables(right)}`);
    const schema = (file: Database.Database) =>
      JSON.stringify(file.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name').all());
    if (schema(left) !== schema(right)) differences.push('schemas differ');
    for (const table of names) {
      const select = `SELECT rowid AS _rowid, * FROM "${table}" ORDER BY rowid`;
      const rows = [left, right].map((file) => file.prepare(select).raw(true).safeIntegers(true).iterate());
      for (let index = 0; ; index++) {
        const [x, y] = rows.map((iterator) => iterator.next());
        if (x.done && y.done) break;
        const encode = (value: unknown) =>
          JSON.stringify(value, (_, v) =>
            typeof v === 'bigint' ? `${v}n` : v instanceof Buffer ? v.toString('hex') : v,
          );
        if (x.done || y.done || encode(x.value) !== encode(y.value)) {
          differences.push(`${table} row ${index}: ${encode(x.value)} / ${encode(y.value)}`.slice(0, 600));
          rows.forEach((iterator) => iterator.return?.());
          break;
        }
      }
    }
  } finally {
    left.close();
    right.close();
  }
  return differences;
}

async function main(): Promise<void> {
  const storeFile = process.argv[2];
  if (!storeFile) throw new Error('usage: rebuild-compare.ts <events.db>');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-rebuild-compare-'));
  const store = SqliteEventStore.open({ file: storeFile, synchronous: 'NORMAL' });
  try {
    const now = Date.now();
    const bulk = await rebuildReadModel({ store, file: path.join(dir, 'bulk.db'), clock: () => now });
    const runner = await rebuildReadModel({ store, file: path.join(dir, 'runner.db'), clock: () => now, bulk: false });
    console.log(`bulk ${bulk.seconds.toFixed(2)} s, runner ${runner.seconds.toFixed(2)} s, ${bulk.events} events`);
    const differences = compareReadModels(path.join(dir, 'bulk.db'), path.join(dir, 'runner.db'));
    console.log(differences.length === 0 ? 'identical' : differences.join('\n'));
    process.exitCode = differences.length === 0 ? 0 : 1;
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void main();
