/**
 * Stratified splits: every part keeps the class balance of the whole. Seeded, so the same
 * seed gives the same rows; row order inside each part follows the input order.
 */
import { UserError } from "../utils/errors.js";
import { Rng } from "../utils/random.js";

/** Indices of rows per class, shuffled with the seed. */
function shuffledByClass(y: ArrayLike<number>, rng: Rng): number[][] {
  const byClass: number[][] = [[], []];
  for (let i = 0; i < y.length; i++) byClass[y[i]!]!.push(i);
  return byClass.map((rows) => rng.shuffle(rows));
}

/**
 * Split rows into two stratified parts; `share` of each class goes to the second part
 * (rounded, at least one row of each class on each side when the class has two or more).
 * @returns `first` and `second`: the row indices of each part, in increasing order.
 */
export function stratifiedSplit(
  y: ArrayLike<number>,
  share: number,
  seed: number,
): { first: Int32Array; second: Int32Array } {
  const rng = new Rng(seed);
  const first: number[] = [];
  const second: number[] = [];
  for (const rows of shuffledByClass(y, rng)) {
    let k = Math.round(rows.length * share);
    if (rows.length >= 2) k = Math.min(Math.max(k, 1), rows.length - 1);
    second.push(...rows.slice(0, k));
    first.push(...rows.slice(k));
  }
  const sort = (a: number[]) => Int32Array.from(a.sort((p, q) => p - q));
  return { first: sort(first), second: sort(second) };
}

/**
 * Train / validation / test split; `validation` is a share of what remains after the test rows.
 * @returns `train`, `validation` and `test`: the row indices of each part, in increasing order.
 */
export function trainValidationTest(
  y: ArrayLike<number>,
  test: number,
  validation: number,
  seed: number,
): { train: Int32Array; validation: Int32Array; test: Int32Array } {
  const a = stratifiedSplit(y, test, seed);
  const rest = a.first;
  const yRest = Array.from(rest, (i) => y[i]!);
  const b = stratifiedSplit(yRest, validation, seed + 1);
  return { train: b.first.map((i) => rest[i]!), validation: b.second.map((i) => rest[i]!), test: a.second };
}

/**
 * Stratified k-fold: returns for each fold the indices of its held-out rows. Rows of each
 * class are shuffled and dealt round-robin, so fold sizes differ by at most one per class.
 */
export function stratifiedKFold(y: ArrayLike<number>, k: number, seed: number): Int32Array[] {
  if (!Number.isInteger(k) || k < 2) throw new UserError(`split.folds: must be a whole number of at least 2, got ${k}`);
  const counts = [0, 0];
  for (let i = 0; i < y.length; i++) counts[y[i]!]!++;
  const fewest = Math.min(counts[0]!, counts[1]!);
  if (fewest < k) {
    throw new UserError(
      `training data has ${fewest} row${fewest === 1 ? "" : "s"} of class ${counts[0]! < counts[1]! ? 0 : 1}, fewer than the ${k} folds of cross-validation; lower split.folds or add data`,
    );
  }
  const folds: number[][] = Array.from({ length: k }, () => []);
  let next = 0;
  for (const rows of shuffledByClass(y, new Rng(seed))) {
    for (const r of rows) {
      folds[next]!.push(r);
      next = (next + 1) % k;
    }
  }
  return folds.map((f) => Int32Array.from(f.sort((p, q) => p - q)));
}

/** The complement of `held` in 0..n-1. */
export function complement(n: number, held: Int32Array): Int32Array {
  const mark = new Uint8Array(n);
  for (const i of held) mark[i] = 1;
  const out = new Int32Array(n - held.length);
  let j = 0;
  for (let i = 0; i < n; i++) if (!mark[i]) out[j++] = i;
  return out;
}
