/**
 * Worker thread entry: takes tree indices from a shared counter (the main thread takes
 * from the same one), posts each tree as it is grown, then its out-of-bag sums.
 */
import { parentPort, workerData } from "node:worker_threads";
import { type ForestJob, growForestTree, newOobSums } from "./grow.js";

/** What a forest worker thread receives (as `workerData`): the job and a shared counter to take trees from. */
export interface WorkerInput {
  /** The forest to grow. */
  job: ForestJob;
  /** Raw feature columns, for out-of-bag scoring (shared memory). */
  columns: Float64Array[];
  /** Trees in the forest; a worker stops when the counter passes it. */
  nTrees: number;
  /** counter[0]: next tree index to grow (shared with the other threads). */
  counter: Int32Array;
}

/**
 * What a forest worker posts back: each tree as it is grown, then its out-of-bag sums, or the error that stopped it.
 */
export type WorkerMessage =
  | { kind: "tree"; t: number; tree: import("../../core/types.js").FlatTree }
  | { kind: "done"; sum: Float64Array; count: Int32Array }
  | { kind: "error"; message: string };

const input = workerData as WorkerInput;
const port = parentPort!;
try {
  const { job, nTrees, counter } = input;
  const X = { nRows: job.nRows, features: [], columns: input.columns };
  const oob = newOobSums(job.bootstrap ? job.nRows : 0);
  for (let t = Atomics.add(counter, 0, 1); t < nTrees; t = Atomics.add(counter, 0, 1)) {
    const tree = growForestTree(job, t, X, oob);
    const transfer = [
      tree.feature,
      tree.threshold,
      tree.missingLeft,
      tree.left,
      tree.right,
      tree.value,
      tree.count,
      tree.hessian,
      tree.gain,
    ].map((a) => a.buffer as ArrayBuffer);
    port.postMessage({ kind: "tree", t, tree } satisfies WorkerMessage, transfer);
  }
  port.postMessage({ kind: "done", sum: oob.sum, count: oob.count } satisfies WorkerMessage, [
    oob.sum.buffer as ArrayBuffer,
    oob.count.buffer as ArrayBuffer,
  ]);
} catch (e) {
  port.postMessage({
    kind: "error",
    message: e instanceof Error ? (e.stack ?? e.message) : String(e),
  } satisfies WorkerMessage);
}
