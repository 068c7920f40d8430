// Seeded tables for bench/logreg-wide.mjs, already encoded as churnkit's preprocessing would hand them to
// logreg (standardised numbers, one 0/1 column per category level), with the raw parts written to binary
// files so that scikit-learn fits the very same values.
import { writeFileSync } from "node:fs";
import { rng } from "./lib/churn-table.mjs";

const numericFeature = (j) => ({ name: `x${j}`, kind: "numeric", source: `x${j}` });

/** n rows × p standard normal columns; the label follows a logistic rule on the first 20. */
export function wideTable(n, p, seed = 7) {
  const r = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const columns = Array.from({ length: p }, () => new Float64Array(n));
  for (const c of columns) for (let i = 0; i < n; i++) c[i] = normal();
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let z = -0.3;
    for (let j = 0; j < Math.min(20, p); j++) z += ((j % 2 ? 1 : -1) * 0.8 * columns[j][i]) / (1 + j / 5);
    y[i] = r() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return {
    X: { nRows: n, features: columns.map((_, j) => numericFeature(j)), columns },
    y,
    numeric: columns,
    codes: [],
  };
}

/** Levels of the categorical columns of {@link tallTable}: 82 one-hot columns. */
export const TALL_LEVELS = [2, 2, 3, 3, 4, 4, 5, 6, 8, 10, 15, 20];

/** n rows × 30 columns (18 numeric, 12 categorical) → a 100-column model matrix; churn from a logistic rule. */
export function tallTable(n, seed = 11) {
  const r = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const numeric = Array.from({ length: 18 }, () => new Float64Array(n));
  const codes = TALL_LEVELS.map(() => new Uint8Array(n));
  const effect = TALL_LEVELS.map((k) => Array.from({ length: k }, () => normal() * 0.5));
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let z = -1;
    for (let j = 0; j < 18; j++) {
      const v = normal();
      numeric[j][i] = v;
      if (j < 8) z += ((j % 2 ? 0.6 : -0.4) * v) / (1 + j / 4);
    }
    TALL_LEVELS.forEach((k, c) => {
      // Skewed levels (a few big, a tail), as real categories are.
      const code = Math.min(k - 1, Math.floor(k * r() * r()));
      codes[c][i] = code;
      z += effect[c][code];
    });
    y[i] = r() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  const columns = [...numeric];
  const features = numeric.map((_, j) => numericFeature(j));
  TALL_LEVELS.forEach((k, c) => {
    for (let l = 0; l < k; l++) {
      const col = new Float64Array(n);
      const cc = codes[c];
      for (let i = 0; i < n; i++) if (cc[i] === l) col[i] = 1;
      columns.push(col);
      features.push({ name: `c${c}=${l}`, kind: "numeric", source: `c${c}` });
    }
  });
  return { X: { nRows: n, features, columns }, y, numeric, codes };
}

/** Write a table's raw parts for Python: numeric columns (float64, column after column), codes (uint8), labels (uint8). */
export function writeTable(prefix, t) {
  const num = new Float64Array(t.numeric.length * t.y.length);
  t.numeric.forEach((c, j) => num.set(c, j * t.y.length));
  writeFileSync(`${prefix}.num.f64`, num);
  const codes = new Uint8Array(t.codes.length * t.y.length);
  t.codes.forEach((c, j) => codes.set(c, j * t.y.length));
  writeFileSync(`${prefix}.codes.u8`, codes);
  writeFileSync(`${prefix}.y.u8`, t.y);
}
