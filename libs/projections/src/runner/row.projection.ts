import type Database from 'better-sqlite3';
import type { ProjectedEvent } from './projected-event';
import {
  assertIdentifiers,
  indexStatements,
  type ColumnType,
  type Projection,
  type ProjectionWriter,
  type SqlValue,
} from './projection.definition';
import { PROJECTION_TUNING } from './projection.tuning';

export type RowShape = Record<string, SqlValue>;

export interface RowProjectionSpec<Row extends RowShape> {
  /** Also the table name. */
  readonly name: string;
  readonly version: number;
  /**
   * Besides `position`: every table is keyed by the position of the event
   * that wrote the row, so rows are appended in order, and a redelivered
   * event finds its row already there and is ignored.
   */
  readonly columns: { readonly [K in keyof Row & string]: ColumnType };
  readonly indexes: readonly (readonly ((keyof Row & string) | 'position')[])[];
  /** The row one event adds; null for an event this projection does not read. */
  readonly rowOf: (event: ProjectedEvent) => Row | null;
}

export interface RowProjection<Row extends RowShape> extends Projection {
  readonly kind: 'rows';
  readonly spec: RowProjectionSpec<Row>;
}

/** An append-only table with at most one row per event. */
export function defineRowProjection<Row extends RowShape>(spec: RowProjectionSpec<Row>): RowProjection<Row> {
  const table = spec.name;
  const columns = Object.keys(spec.columns) as (keyof Row & string)[];
  assertIdentifiers(table, ...columns);
  spec.indexes.forEach((index) => assertIdentifiers(...index));
  if (columns.includes('position' as keyof Row & string)) {
    throw new Error(`${table}: position is the key every row table has; do not declare it`);
  }
  const definitions = columns.map((name) => `, ${name} ${spec.columns[name]}`).join('');
  const tables = [`CREATE TABLE IF NOT EXISTS ${table} (position INTEGER PRIMARY KEY${definitions})`];

  const prepare = (db: Database.Database): ProjectionWriter => {
    // Rows are inserted several per statement: SQLite does the same work, the
    // binding and stepping overhead is paid once per chunk.
    const chunk = PROJECTION_TUNING.rowsPerInsert;
    const width = columns.length + 1;
    const placeholders = `(${Array.from({ length: width }, () => '?').join(', ')})`;
    const insert = (rows: number) =>
      db.prepare(
        `INSERT OR IGNORE INTO ${table} (position, ${columns.join(', ')}) VALUES ` +
          Array.from({ length: rows }, () => placeholders).join(', '),
      );
    const insertChunk = insert(chunk);
    const insertOne = insert(1);
    const pending: SqlValue[] = [];
    return {
      apply(events) {
        for (const event of events) {
          const row = spec.rowOf(event);
          if (row === null) continue;
          pending.push(event.stored.position);
          for (const column of columns) pending.push(row[column]);
          if (pending.length === chunk * width) {
            insertChunk.run(pending);
            pending.length = 0;
          }
        }
      },
      flush() {
        for (let start = 0; start < pending.length; start += width) insertOne.run(pending.slice(start, start + width));
        pending.length = 0;
      },
      rollback() {
        pending.length = 0;
      },
    };
  };

  return {
    kind: 'rows',
    name: spec.name,
    version: spec.version,
    spec,
    tables,
    indexes: indexStatements(table, spec.indexes),
    prepare,
  };
}
