/**
 * Scoring worker thread (score-pool.ts): rebuilds the model from its model.json state once, then scores the encoded
 * windows it is sent with the very code of the main thread (ChurnModel.scoreMatrix) and returns the probabilities and
 * their CSV lines (csv-bytes.ts), both as transferred buffers.
 */
import { parentPort, workerData } from "node:worker_threads";
import { ChurnModel } from "../artifact/churn-model.js";
import type { ModelArtifact } from "../artifact/artifact.js";
import type { RawValue } from "../data/load.js";
import { UserError } from "../utils/errors.js";
import { csvBytes } from "./csv-bytes.js";

/** A window to score: its position in the input (for row numbers in errors), its model columns and its ids. */
export interface ScoreRequest {
  seq: number;
  offset: number;
  rows: number;
  columns: Float64Array[];
  /** Identifier columns for the CSV lines, or null when only the probabilities are wanted. */
  ids: RawValue[][] | null;
  threshold: number;
}

/** The probabilities (and CSV lines) of request `seq`, or the error that stopped it (`user`: a UserError). */
export type ScoreReply =
  { seq: number; p: Float64Array; csv: Uint8Array | null } | { seq: number; error: string; user: boolean };

const port = parentPort!;
const model = ChurnModel.fromArtifact(workerData as ModelArtifact);
const features = model.artifact.preprocess.features;
port.on("message", (q: ScoreRequest) => {
  let reply: ScoreReply;
  const transfer: ArrayBuffer[] = [];
  try {
    const p = model.scoreMatrix({ nRows: q.rows, features, columns: q.columns }, q.offset);
    const csv = q.ids ? csvBytes(q.ids, p, q.threshold) : null;
    reply = { seq: q.seq, p, csv };
    transfer.push(p.buffer as ArrayBuffer);
    if (csv) transfer.push(csv.buffer as ArrayBuffer);
  } catch (e) {
    reply = { seq: q.seq, error: e instanceof Error ? e.message : String(e), user: e instanceof UserError };
  }
  port.postMessage(reply, transfer);
});
