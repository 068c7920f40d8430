/**
 * POST /predict.csv: score an uploaded CSV exactly as `churnkit predict` scores a file. The
 * text goes to a temporary file that DuckDB reads (the same loader, sniffing and typing as
 * the CLI: no CSV parsing here), and the scored CSV comes back with the same columns: the
 * id column(s) present, churn_probability, churn_prediction, in input order: every uploaded
 * row, or an error. The scored batches come back too (probabilities, unseen categories and, when asked
 * for, the rows), so that the server counts and logs only the rows of an upload that was scored whole.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChurnModel } from "../artifact/churn-model.js";
import { predictFile, type ScoredBatch } from "../io/predict.js";
import { UserError } from "../utils/errors.js";

/** How an uploaded file is named in error messages. */
export const UPLOAD_NAME = "uploaded CSV";

/** What {@link scoreCsv} returns. */
export interface ScoredCsv {
  /** The scored CSV text: id column(s), churn_probability, churn_prediction. */
  csv: string;
  /** Rows scored. */
  rows: number;
  /** Categories training never saw, over all rows. */
  unseen: number;
  /** The scored batches, in order; their `table` holds no rows unless `keepRows` was asked for. */
  batches: ScoredBatch[];
}

/**
 * Score CSV text; returns the scored CSV text, the counts and the batches (with their input rows when `keepRows`).
 * UserErrors name the upload, not the temporary path.
 */
export async function scoreCsv(model: ChurnModel, text: string, keepRows = false): Promise<ScoredCsv> {
  if (text.trim() === "")
    throw new UserError(`${UPLOAD_NAME}: is empty; it needs a header row and at least one data row`);
  const dir = await mkdtemp(join(tmpdir(), "churnkit-serve-"));
  const input = join(dir, "upload.csv");
  const output = join(dir, "scores.csv");
  try {
    await writeFile(input, text);
    // predictFile streams on a DuckDB connection of its own, so uploads and JSON requests run side by side.
    const batches: ScoredBatch[] = [];
    const r = await predictFile(model, input, output, undefined, (b) =>
      batches.push(keepRows ? b : { ...b, table: { ...b.table, data: {} } }),
    );
    return { csv: await readFile(output, "utf8"), ...r, batches };
  } catch (e) {
    if (e instanceof UserError) throw new UserError(e.message.split(input).join(UPLOAD_NAME));
    throw e;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
