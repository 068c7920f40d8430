/**
 * Binary log loss, as boosting needs it: each row's gradient p − y and hessian p(1 − p) of the loss
 * in the raw score (p = sigmoid(raw)). Row by row, so any split of the rows between threads gives
 * the same numbers.
 */

/** The WebAssembly log-loss gradients (loss-kernel-text.ts): arguments are byte addresses in its memory. */
export interface LossKernel {
  logLoss: (this: void, raw: number, y: number, grad: number, hess: number, from: number, to: number) => void;
}

/**
 * Gradients and hessians of rows `from..to` from their raw scores and 0/1 labels. `kernel`: the fit's kernel, whose
 * memory all four arrays are views of (fit-memory.ts), computes the same bits without a `Math.exp` call per row.
 */
export function logLossGradients(
  raw: Float64Array,
  y: Uint8Array,
  grad: Float64Array,
  hess: Float64Array,
  from: number,
  to: number,
  kernel: LossKernel | null = null,
): void {
  if (kernel) {
    kernel.logLoss(raw.byteOffset, y.byteOffset, grad.byteOffset, hess.byteOffset, from, to);
    return;
  }
  for (let i = from; i < to; i++) {
    const z = raw[i]!;
    let pr: number;
    if (z >= 0) pr = 1 / (1 + Math.exp(-z));
    else {
      const e = Math.exp(z);
      pr = e / (1 + e);
    }
    grad[i] = pr - y[i]!;
    hess[i] = pr * (1 - pr);
  }
}
