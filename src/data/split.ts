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
 * Split rows into two stratified parts; `share` of each class goes to the second part. The one
 * stratified hold-out of churnkit (the pipeline's test split, train's validation split, gbdt's
 * early-stopping hold-out). Rounding, per class of n rows: k = Math.round(n · share) (half up),
 * then clamped to [1, n − 1] when n ≥ 2, so each part holds at least one row of every class that
 * has two or more; a class with a single row keeps it in the first (training) part. `seed` may be
 * an {@link Rng} (its stream is used, class 0 shuffled first), for callers that derive streams.
 * @returns `first` and `second`: the row indices of each part, in increasing order.
 */
export function stratifiedSplit(
  y: ArrayLike<number>,
  share: number,
  seed: number | Rng,
): { first: Int32Array; second: Int32Array } {
  const rng = typeof seed === "number" ? new Rng(seed) : seed;
  const first: number[] = [];
  const second: number[] = [];
  for (const rows of shuffledByClass(y, rng)) {
    const n = rows.length;
    const k = n >= 2 ? Math.min(Math.max(Math.round(n * share), 1), n - 1) : 0;
    // A loop, not push(...rows): a class may hold millions of rows.
    for (let i = 0; i < n; i++) (i < k ? second : first).push(rows[i]!);
  }
  const sort = (a: number[]) => Int32Array.from(a.sort((p, q) => p - q));
  return { first: sort(first), second: sort(second) };
}

/**
 * A stratified sample of about `max` rows (each class keeps its share; per-class rounding as in
 * {@link stratifiedSplit}), for the steps whose cost must not grow with the table: `auto`'s search and permutation
 * importance. Null when there are at most `max` rows: use them all.
 * @returns the sampled row indices, in increasing order, or null.
 */
export function stratifiedSample(y: ArrayLike<number>, max: number, seed: number): Int32Array | null {
  if (y.length <= max) return null;
  return stratifiedSplit(y, max / y.length, seed).second;
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
