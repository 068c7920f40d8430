/**
 * A relation read by DuckDB as a stream, handed on in batches of raw values (constant memory, however large the
 * file): what batch scoring and drift checks read files with. Run it on a connection of its own (duckdb.ts).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { dict } from "../utils/dict.js";
import { checkColumnNames, checkRagged, formatOf, unreadable, type RawTable, type RawValue } from "./load.js";

/** Rows per batch: large enough to amortise per-batch work, small enough for constant memory. */
export const BATCH_ROWS = 16384;

/** An open stream of a relation's rows. */
export interface BatchStream {
  /** The relation's column names. */
  columns: string[];
  /**
   * Hand every batch to `onBatch`, in order, with the number of rows before it (for row numbers in messages);
   * batches hold `BATCH_ROWS` rows or more, the last one fewer. Resolves to the rows read.
   */
  forEach(onBatch: (table: RawTable, offset: number) => Promise<void> | void): Promise<number>;
}

/**
 * Start streaming `sql` (a relation over the file `input`, e.g. `sourceSql(input)`) on `con`. A fault DuckDB reports
 * (a bad line, an encoding) is a UserError naming `input`, and so is a repeated column name; a CSV whose rows do not
 * split into the header's columns is refused on its first batch.
 */
export async function openBatches(con: DuckDBConnection, sql: string, input: string): Promise<BatchStream> {
  let result;
  try {
    result = await con.stream(sql);
  } catch (e) {
    throw unreadable(input, e);
  }
  const columns = result.columnNames();
  await checkColumnNames(input, columns);
  const forEach = async (onBatch: (table: RawTable, offset: number) => Promise<void> | void): Promise<number> => {
    let rows = 0;
    let pending: RawValue[][] = columns.map(() => []);
    let pendingRows = 0;
    const flush = async () => {
      if (pendingRows === 0) return;
      const data = dict<RawValue[]>();
      columns.forEach((c, i) => (data[c] = pending[i]!));
      if (rows === 0 && formatOf(input) === "csv") checkRagged(input, columns, data);
      await onBatch({ origin: input, columns, rows: pendingRows, data }, rows);
      rows += pendingRows;
      pending = columns.map(() => []);
      pendingRows = 0;
    };
    for (;;) {
      let chunk;
      try {
        chunk = await result.fetchChunk();
      } catch (e) {
        throw unreadable(input, e);
      }
      if (!chunk || chunk.rowCount === 0) break;
      (chunk.getColumns() as RawValue[][]).forEach((c, i) => {
        const dst = pending[i]!;
        for (const v of c) dst.push(v);
      });
      pendingRows += chunk.rowCount;
      if (pendingRows >= BATCH_ROWS) await flush();
    }
    await flush();
    return rows;
  };
  return { columns, forEach };
}
