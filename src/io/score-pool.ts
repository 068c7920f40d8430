/**
 * Worker threads that score encoded windows of a batch-scoring stream (score-worker.ts), so that the trees and the
 * CSV lines run beside DuckDB's reading and the main thread's encoding instead of after them. Each window's columns
 * are moved to a worker (transferred, not copied) and its probabilities and CSV bytes moved back; the caller keeps
 * the windows' order. Results are the same bytes as scoring on the main thread: the same model code scores them.
 */
import { Worker } from "node:worker_threads";
import type { ChurnModel } from "../artifact/churn-model.js";
import type { Matrix } from "../core/types.js";
import { UserError } from "../utils/errors.js";
import { compiledWorkerUrl } from "../utils/threads.js";
import type { ScoreReply, ScoreRequest, ScoreWorkerInput } from "./score-worker.js";
import type { PackedIds } from "./lines.js";

/** A window's probabilities and, when ids were given, its CSV lines; and its columns, moved back to be reused. */
export interface Scored {
  p: Float64Array;
  csv: Uint8Array | null;
  columns: Float64Array[];
}

/** The buffers of `columns` that can be moved to a worker (a column's own, whole buffer; each once). */
function movable(columns: Float64Array[]): { columns: Float64Array[]; transfer: ArrayBuffer[] } {
  const seen = new Set<ArrayBufferLike>();
  const transfer: ArrayBuffer[] = [];
  const out = columns.map((c) => {
    const b = c.buffer;
    if (b instanceof ArrayBuffer && c.byteOffset === 0 && c.byteLength === b.byteLength && !seen.has(b)) {
      seen.add(b);
      transfer.push(b);
      return c;
    }
    return c.slice(); // a view into a larger or shared buffer: copied
  });
  for (const c of out) {
    if (seen.has(c.buffer)) continue;
    seen.add(c.buffer);
    transfer.push(c.buffer as ArrayBuffer);
  }
  return { columns: out, transfer };
}

/** A pool of scoring workers for one model. */
export class ScorePool {
  /** Pools started in this process (what a test of the stream checks it was scored on workers by). */
  static started = 0;
  private seq = 0;
  private next = 0;
  private readonly pending = new Map<number, { resolve(s: Scored): void; reject(e: Error): void }>();
  private failed: Error | undefined;

  private constructor(private readonly workers: Worker[]) {
    for (const w of workers) {
      w.on("message", (m: ScoreReply) => this.reply(m));
      w.on("error", (e) => this.fail(e));
      w.on("exit", (code) => this.fail(new Error(`scoring worker exited with code ${code}`)));
    }
  }

  /** `threads` workers scoring with `model`, or null where there is no compiled worker (run from TypeScript source). */
  static start(model: ChurnModel, threads: number): ScorePool | null {
    const url = compiledWorkerUrl(new URL("./score-worker.js", import.meta.url));
    if (!url || threads < 1) return null;
    const a = model.artifact;
    const input: ScoreWorkerInput = {
      family: a.model.family,
      state: a.model.state,
      calibration: a.calibration ?? null,
      features: a.preprocess.features,
    };
    const workers = Array.from({ length: threads }, () => new Worker(url, { workerData: input }));
    for (const w of workers) w.unref(); // never what keeps the process alive
    ScorePool.started++;
    return new ScorePool(workers);
  }

  private reply(m: ScoreReply): void {
    const job = this.pending.get(m.seq);
    if (!job) return;
    this.pending.delete(m.seq);
    if ("error" in m) job.reject(m.user ? new UserError(m.error) : new Error(m.error));
    else job.resolve({ p: m.p, csv: m.csv, columns: m.columns });
  }

  private fail(e: Error): void {
    this.failed ??= e;
    for (const job of this.pending.values()) job.reject(this.failed);
    this.pending.clear();
  }

  /**
   * Score `X` (rows `offset`…, for row numbers in errors) on the next worker, round robin; `X`'s columns are moved
   * there and unusable here afterwards. With `packed` identifier columns (lines.ts PackedIds), moved too, the reply
   * holds the CSV lines.
   */
  score(X: Matrix, offset: number, packed: PackedIds | null, threshold: number): Promise<Scored> {
    if (this.failed) return Promise.reject(this.failed);
    const seq = this.seq++;
    const { columns, transfer } = movable(X.columns);
    if (packed) for (const len of packed.lengths) transfer.push(len.buffer as ArrayBuffer);
    const q: ScoreRequest = { seq, offset, rows: X.nRows, columns, ids: packed, threshold };
    const w = this.workers[this.next]!;
    this.next = (this.next + 1) % this.workers.length;
    return new Promise<Scored>((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      w.postMessage(q, transfer);
    });
  }

  /** Stop the workers (pending windows are rejected). */
  async close(): Promise<void> {
    this.failed ??= new Error("scoring pool closed");
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
