/**
 * gbdt worker thread: sleeps until a task is posted in shared memory (parallel.ts), claims blocks of
 * features and builds their histograms into the shared target, until told to exit.
 */
import { workerData } from "node:worker_threads";
import { blockRange, claimBlock, Ctrl, TASK_GRADIENTS, type HistogramWorkerInput } from "./parallel.js";
import { buildFeatureBlock, type HistogramLayout } from "./histogram.js";
import { logLossGradients } from "./loss.js";

const input = workerData as HistogramWorkerInput;
const { ctrl, claim, target, bins, stride, features, grad, hess, raw, y, rows } = input;
const layout: HistogramLayout = { offsets: input.offsets, nBins: input.nBins, size: target.length / 3 };
try {
  let seen = 0;
  for (;;) {
    Atomics.wait(ctrl, Ctrl.Task, seen);
    if (Atomics.load(ctrl, Ctrl.Exit) !== 0) break;
    const task = Atomics.load(ctrl, Ctrl.Task);
    seen = task;
    for (let b = claimBlock(claim, task); b >= 0; b = claimBlock(claim, task)) {
      // A claimed block holds the task open, so these parameters are the task's own.
      const blocks = Number((Atomics.load(claim, 0) >> 8n) & 0xffn);
      if (ctrl[Ctrl.Kind] === TASK_GRADIENTS) {
        const [from, to] = blockRange(b, blocks, raw.length);
        logLossGradients(raw, y, grad, hess, from, to);
      } else {
        const [from, to] = blockRange(b, blocks, ctrl[Ctrl.NFeatures]!);
        const r = ctrl[Ctrl.AllRows] === 1 ? null : rows;
        const start = ctrl[Ctrl.Start]!;
        buildFeatureBlock(target, layout, bins, stride, features, from, to, r, start, ctrl[Ctrl.End]!, grad, hess);
      }
      Atomics.add(ctrl, Ctrl.Done, 1);
      Atomics.notify(ctrl, Ctrl.Done);
    }
  }
} catch {
  Atomics.store(ctrl, Ctrl.Error, 1);
  Atomics.notify(ctrl, Ctrl.Done);
}
