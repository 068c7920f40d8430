/**
 * Grows the trees of a forest in this thread plus worker threads when that pays.
 * All threads take the next tree index from one shared counter (trees differ in size,
 * so this balances the load); trees are stored by index and out-of-bag sums are exact
 * integer sums, so the forest does not depend on the schedule or the thread count.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { FlatTree, Matrix } from "../../core/types.js";
import type { CodedFeature } from "../binning/coded.js";
import { type ForestJob, growForestTree, newOobSums, type OobSums } from "./grow.js";
import type { WorkerInput, WorkerMessage } from "./worker.js";

/**
 * Below this many (rows × trees), starting a worker (~50–150 ms with its JIT warm-up)
 * costs more than it saves.
 */
export const MIN_PARALLEL_WORK = 50_000;

/**
 * URL of the compiled worker script, or null when it is not there: code run from
 * TypeScript source (e.g. under vitest) has no worker.js beside it.
 */
export function workerScriptUrl(): URL | null {
  const url = new URL("./worker.js", import.meta.url);
  try {
    return url.protocol === "file:" && existsSync(fileURLToPath(url)) ? url : null;
  } catch {
    return null;
  }
}

/** Threads to use: `requested` (default min(2, cores)), 1 if workers are unavailable or not worth it. */
export function forestThreads(requested: number | undefined, nRows: number, nTrees: number): number {
  const want = Math.max(1, Math.floor(requested ?? Math.min(2, availableParallelism())));
  if (want === 1 || nTrees < 2 || nRows * nTrees < MIN_PARALLEL_WORK || workerScriptUrl() === null) return 1;
  return Math.min(want, nTrees);
}

/** The result of growing a forest: its trees in index order and the out-of-bag sums. */
export interface GrownForest {
  /** The trees, tree `t` at index `t` whatever thread grew it. */
  trees: FlatTree[];
  /** Out-of-bag sums over all trees (empty arrays without bootstrap). */
  oob: OobSums;
}

/** Grow trees 0..nTrees-1 of `job` on `threads` threads (this one included). */
export async function growForest(job: ForestJob, X: Matrix, nTrees: number, threads: number): Promise<GrownForest> {
  const trees = new Array<FlatTree | undefined>(nTrees);
  const oob = newOobSums(job.bootstrap ? job.nRows : 0);
  const url = threads > 1 ? workerScriptUrl() : null;
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const workers: Worker[] = [];
  const finished: Promise<OobSums>[] = [];
  if (url !== null) {
    const input: WorkerInput = { job: sharedJob(job), columns: X.columns.map(shared), nTrees, counter };
    for (let i = 1; i < threads; i++) {
      const w = new Worker(url, { workerData: input });
      workers.push(w);
      finished.push(
        new Promise<OobSums>((resolve, reject) => {
          let done = false;
          w.on("message", (msg: WorkerMessage) => {
            if (msg.kind === "tree") trees[msg.t] = msg.tree;
            else if (msg.kind === "done") {
              done = true;
              resolve({ sum: msg.sum, count: msg.count });
            } else reject(new Error(`forest worker failed: ${msg.message}`));
          });
          w.on("error", reject);
          w.on("exit", (code) => {
            if (!done) reject(new Error(`forest worker exited with code ${code} before finishing`));
          });
        }),
      );
    }
  }
  try {
    // This thread grows trees too, from the same counter, while the workers start up.
    for (let t = Atomics.add(counter, 0, 1); t < nTrees; t = Atomics.add(counter, 0, 1)) {
      trees[t] = growForestTree(job, t, X, oob);
    }
    for (const part of await Promise.all(finished)) {
      for (let r = 0; r < oob.sum.length; r++) {
        oob.sum[r]! += part.sum[r]!;
        oob.count[r]! += part.count[r]!;
      }
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  for (let t = 0; t < nTrees; t++) if (!trees[t]) throw new Error(`forest tree ${t} was not grown`);
  return { trees: trees as FlatTree[], oob };
}

/** A copy of a typed array in shared memory, so workers read it without copying. */
function shared<T extends Float64Array | Int32Array | Uint8Array>(a: T): T {
  const Ctor = a.constructor as new (b: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  (out as unknown as { set(x: T): void }).set(a);
  return out;
}

function sharedJob(job: ForestJob): ForestJob {
  const features: CodedFeature[] = job.features.map((f) => ({ ...f, codes: shared(f.codes) }));
  return { ...job, features, y: shared(job.y), weight: shared(job.weight) };
}
