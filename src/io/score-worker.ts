/**
 * Scoring worker thread (score-pool.ts): rebuilds the classifier from the model's (already validated) state once,
 * then scores the encoded windows it is sent with the main thread's rule (artifact/probability.ts, the code of
 * ChurnModel.scoreMatrix) and returns the probabilities and their CSV lines (lines.ts) as transferred buffers.
 * It imports only what scoring needs: the model facade's imports (DuckDB, zod schemas) would cost more CPU to load
 * than a window costs to score.
 */
import { parentPort, workerData } from "node:worker_threads";
import { churnProbability } from "../artifact/probability.js";
import type { FeatureInfo } from "../core/types.js";
import type { CalibrationState } from "../learners/calibration.js";
import { family } from "../learners/families.js";
import { UserError } from "../utils/errors.js";
import { csvBytesPacked, type PackedIds } from "./lines.js";

/** A window to score: its position in the input (for row numbers in errors), its model columns and its ids. */
export interface ScoreRequest {
  seq: number;
  offset: number;
  rows: number;
  columns: Float64Array[];
  /** Identifier columns for the CSV lines (packed: lines.ts packIds), or null when only probabilities are wanted. */
  ids: PackedIds | null;
  threshold: number;
}

/**
 * The probabilities (and CSV lines) of request `seq` and its columns moved back (reused by the stream), or the
 * error that stopped it (`user`: a UserError).
 */
export type ScoreReply =
  | { seq: number; p: Float64Array; csv: Uint8Array | null; columns: Float64Array[] }
  | { seq: number; error: string; user: boolean };

/** What a scoring worker is started with: the model's family, its state, calibration and model columns. */
export interface ScoreWorkerInput {
  family: string;
  state: unknown;
  calibration: CalibrationState | null;
  features: FeatureInfo[];
}

const port = parentPort!;
const input = workerData as ScoreWorkerInput;
const clf = family(input.family).fromState(input.state);
const { calibration, features } = input;
port.on("message", (q: ScoreRequest) => {
  let reply: ScoreReply;
  const transfer: ArrayBuffer[] = [];
  try {
    const p = churnProbability(clf, calibration, { nRows: q.rows, features, columns: q.columns }, q.offset);
    const csv = q.ids ? csvBytesPacked(q.ids, p, q.threshold) : null;
    reply = { seq: q.seq, p, csv, columns: q.columns };
    transfer.push(p.buffer as ArrayBuffer);
    if (csv) transfer.push(csv.buffer as ArrayBuffer);
    const moved = new Set<ArrayBufferLike>([p.buffer, ...(csv ? [csv.buffer] : [])]);
    for (const c of q.columns) {
      if (moved.has(c.buffer) || !(c.buffer instanceof ArrayBuffer)) continue;
      moved.add(c.buffer);
      transfer.push(c.buffer);
    }
  } catch (e) {
    reply = { seq: q.seq, error: e instanceof Error ? e.message : String(e), user: e instanceof UserError };
  }
  port.postMessage(reply, transfer);
});
