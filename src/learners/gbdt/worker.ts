/**
 * gbdt worker thread: sleeps until a task is posted in shared memory (parallel.ts), claims row blocks
 * of a node and builds their histograms into their buffers of the shared target (or gradients of a
 * block of rows), until told to exit.
 */
import { workerData } from "node:worker_threads";
import {
  blockRange,
  buildBlock,
  claimBlock,
  Ctrl,
  TASK_GRADIENTS,
  TASK_GATHER,
  TASK_PARTITION,
  TASK_UPDATE,
  type HistogramWorkerInput,
} from "./parallel.js";
import type { HistogramLayout } from "./histogram.js";
import { instantiateKernel } from "./histogram-wasm.js";
import { logLossGradients } from "./loss.js";
import { gatherBlock, partitionBlock, updateRows } from "./row-tasks.js";

const input = workerData as HistogramWorkerInput;
const { ctrl, claim, target, bins, stride, features, grad, hess, raw, y, rows } = input;
const { columns, leaves, table, left, right, counts } = input;
const layout: HistogramLayout = {
  offsets: input.offsets,
  nBins: input.nBins,
  size: input.offsets.length ? input.offsets[input.offsets.length - 1]! + input.nBins[input.nBins.length - 1]! + 1 : 0,
};
try {
  // The same kernel as the main thread's, on the same memory (or the JS loop, bit-for-bit the same sums).
  const kernel = input.memory ? instantiateKernel(input.memory, input.offsets, bins.length) : null;
  // The block buffers are the kernel's wide ones: the JS loop cannot stand in for it here.
  if (input.memory && !kernel) throw new Error("gbdt worker: no WebAssembly kernel");
  let seen = 0;
  for (;;) {
    Atomics.wait(ctrl, Ctrl.Task, seen);
    if (Atomics.load(ctrl, Ctrl.Exit) !== 0) break;
    const task = Atomics.load(ctrl, Ctrl.Task);
    seen = task;
    for (let b = claimBlock(claim, task); b >= 0; b = claimBlock(claim, task)) {
      // A claimed block holds the task open, so these parameters are the task's own.
      const blocks = Number((Atomics.load(claim, 0) >> 8n) & 0xffn);
      const kind = ctrl[Ctrl.Kind];
      if (kind === TASK_GRADIENTS) {
        const [from, to] = blockRange(b, blocks, raw.length);
        logLossGradients(raw, y, grad, hess, from, to, kernel);
      } else if (kind === TASK_UPDATE) {
        const [from, to] = blockRange(b, blocks, rows.length);
        updateRows(raw, rows, leaves, ctrl[Ctrl.Count]!, from, to, ctrl[Ctrl.Reset] === 1);
      } else if (kind === TASK_PARTITION) {
        const n = rows.length;
        const j = ctrl[Ctrl.Count]!;
        const column = columns.subarray(j * n, (j + 1) * n);
        partitionBlock(rows, ctrl[Ctrl.Start]!, ctrl[Ctrl.End]!, b, blocks, column, table, left, right, counts);
      } else if (kind === TASK_GATHER) {
        gatherBlock(rows, ctrl[Ctrl.Start]!, ctrl[Ctrl.End]!, b, blocks, left, right, counts);
      } else {
        const r = ctrl[Ctrl.AllRows] === 1 ? null : rows;
        const f = features.subarray(0, ctrl[Ctrl.NFeatures]);
        buildBlock(
          target,
          b,
          blocks,
          layout,
          bins,
          stride,
          f,
          r,
          ctrl[Ctrl.Start]!,
          ctrl[Ctrl.End]!,
          grad,
          hess,
          kernel,
          ctrl[Ctrl.SumsOnly] === 1,
        );
      }
      Atomics.add(ctrl, Ctrl.Done, 1);
      Atomics.notify(ctrl, Ctrl.Done);
    }
  }
} catch {
  Atomics.store(ctrl, Ctrl.Error, 1);
  Atomics.notify(ctrl, Ctrl.Done);
}
