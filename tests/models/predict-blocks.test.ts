import { describe, expect, it } from "vitest";
import type { FeatureInfo, FlatTree, Matrix } from "../../src/core/types.js";
import { Rng } from "../../src/utils/random.js";
import { accumulateTrees, FlatTreeBuilder, leafIndex, PREDICT_BLOCK_ROWS } from "../../src/core/flat-tree.js";
import { accumulateBinned, BLOCK_ROWS, binForest } from "../../src/core/binned-forest.js";
import { accumulateRouted } from "../../src/core/routed-forest.js";
import { MASK_BLOCK_ROWS, maskLayout, MaskScorer } from "../../src/core/mask-forest.js";
import { GbdtEstimator } from "../../src/learners/gbdt/gbdt.js";
import { ForestEstimator } from "../../src/learners/forest/forest.js";

/** Rows not a multiple of the block (nor of 4): numeric, missing values, a 6-category column. */
function table(n: number, seed: number): { X: Matrix; y: Uint8Array } {
  const rng = new Rng(seed);
  const x0 = new Float64Array(n);
  const x1 = new Float64Array(n);
  const c = new Float64Array(n);
  const y = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    x0[r] = rng.next();
    x1[r] = rng.next() < 0.2 ? NaN : rng.next();
    c[r] = rng.int(6);
    const z =
      -1 + 2 * (x0[r]! > 0.4 ? 1 : 0) + (c[r] === 2 || c[r] === 5 ? 1.5 : 0) + (Number.isNaN(x1[r]!) ? 1 : x1[r]!);
    y[r] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  const features: FeatureInfo[] = [
    { name: "x0", kind: "numeric", source: "x0" },
    { name: "x1", kind: "numeric", source: "x1" },
    { name: "c", kind: "categorical", nCategories: 6, source: "c" },
  ];
  return { X: { nRows: n, features, columns: [x0, x1, c] }, y };
}

/** Sum of the trees' leaf values row by row with the reference rule (goesLeft), trees in order. */
function reference(trees: readonly FlatTree[], X: Matrix, start: number): Float64Array {
  const out = new Float64Array(X.nRows).fill(start);
  for (let r = 0; r < X.nRows; r++) for (const t of trees) out[r]! += t.value[leafIndex(t, X, r)]!;
  return out;
}

// Past the size at which accumulateTrees lays a forest out binned, and not a multiple of either block.
const n = 4 * PREDICT_BLOCK_ROWS + 403;

describe("block predictor", () => {
  it("gives exactly the row-by-row raw scores of gbdt models (numeric, missing and categorical splits)", () => {
    const { X, y } = table(n, 1);
    const numeric: Matrix = { nRows: n, features: X.features.slice(0, 2), columns: X.columns.slice(0, 2) };
    // A small min_data_per_group so that every tree splits the 6-level column (what this test checks the predictor on).
    const params = { max_iter: 30, early_stopping: false, min_samples_leaf: 5, min_data_per_group: 5 };
    const withCats = new GbdtEstimator(params).fit(X, y, { seed: 2 });
    const numOnly = new GbdtEstimator(params).fit(numeric, y, { seed: 2 });
    expect(withCats.trees.every((t) => t.catLeft.some((s) => s !== null))).toBe(true);
    expect(numOnly.trees.every((t) => t.catLeft.every((s) => s === null))).toBe(true);
    for (const [model, data] of [
      [withCats, X],
      [numOnly, numeric],
    ] as const) {
      expect(binForest(model.trees, data.columns.length)).not.toBeNull(); // the binned layout scores these
      const raw = model.predictRaw(data);
      expect(Array.from(raw)).toEqual(Array.from(reference(model.trees, data, model.state().baseline)));
    }
  });

  it("gives exactly the row-by-row probabilities of a forest", async () => {
    const { X, y } = table(n, 3);
    const model = await new ForestEstimator({ n_estimators: 12, min_samples_leaf: 3 }).fit(X, y, {
      seed: 4,
      threads: 1,
    });
    const want = reference(model.trees, X, 0).map((s) => s / model.trees.length);
    expect(Array.from(model.predictProba(X))).toEqual(Array.from(want));
  });

  it("routes a single leaf, children in any node order, NaN both ways and scaling", () => {
    const b = new FlatTreeBuilder();
    const root = b.addNode(0, 10, 10);
    const right = b.addNode(5, 4, 4); // the right child comes first in node order
    const left = b.addNode(0, 6, 6);
    const ll = b.addNode(-1, 3, 3);
    const lr = b.addNode(2, 3, 3);
    b.split(root, 0, 0.5, null, false, left, right, 1);
    b.split(left, 1, 0.25, null, true, ll, lr, 1);
    const tree = b.finish();
    const leaf = new FlatTreeBuilder();
    leaf.addNode(0.75, 1, 1);
    const x0 = Float64Array.from([0.1, 0.9, NaN, 0.5, 0.2, 0.3, 0.2]);
    const x1 = Float64Array.from([0.1, 0.1, 0.9, 0.25, 0.3, NaN, 0.26]);
    const X: Matrix = { nRows: 7, features: [], columns: [x0, x1] };
    const out = new Float64Array(7);
    accumulateTrees([tree, leaf.finish()], X, out, 2);
    expect(Array.from(out)).toEqual([-0.5, 11.5, 11.5, -0.5, 5.5, -0.5, 5.5]);
  });
});

/** A random tree over `kinds` ("n" numeric, "c" categorical with `levels` codes), thresholds drawn from `cuts`. */
function randomTree(rng: Rng, kinds: string, cuts: number[], levels: number, maxNodes: number): FlatTree {
  const b = new FlatTreeBuilder();
  const open = [b.addNode(rng.next() - 0.5, 1, 1)];
  while (open.length && b.feature.length + 2 <= maxNodes) {
    const i = open.splice(rng.int(open.length), 1)[0]!;
    if (rng.next() < 0.15) continue; // an early leaf: leaves at many depths
    const f = rng.int(kinds.length);
    const left = b.addNode(rng.next() - 0.5, 1, 1);
    const right = b.addNode(rng.next() - 0.5, 1, 1);
    const cats = kinds[f] === "c" ? Array.from({ length: levels }, (_, c) => c).filter(() => rng.next() < 0.4) : null;
    b.split(i, f, cuts[rng.int(cuts.length)]!, cats, rng.next() < 0.5, left, right, 1);
    // Children in either node order.
    if (rng.next() < 0.5) open.push(left, right);
    else open.push(right, left);
  }
  return b.finish();
}

/** Values that sit on, between and beyond the thresholds, missing, infinite and signed zeros; odd category codes. */
function randomMatrix(rng: Rng, kinds: string, cuts: number[], levels: number, rows: number): Matrix {
  const odd = [NaN, -0, 0, Infinity, -Infinity, 1e300, -1e300];
  const columns = Array.from(kinds, (k) =>
    Float64Array.from({ length: rows }, () => {
      const u = rng.next();
      if (k === "c") return u < 0.1 ? NaN : u < 0.15 ? [-1, 2.5, levels + 3, 1e9][rng.int(4)]! : rng.int(levels + 2);
      return u < 0.1
        ? NaN
        : u < 0.5
          ? cuts[rng.int(cuts.length)]!
          : u < 0.55
            ? odd[rng.int(odd.length)]!
            : 4 * rng.next() - 2;
    }),
  );
  return { nRows: rows, features: [], columns };
}

describe("binned forest", () => {
  const cuts = [-1.5, -0.25, -0, 0, 0.125, 0.5, 1, 1.75, Infinity, -Infinity, NaN];

  it("scores random trees with missing values, categorical splits and odd thresholds exactly as goesLeft", () => {
    for (let seed = 1; seed <= 6; seed++) {
      const rng = new Rng(seed);
      const kinds = "nncnccn".slice(0, 3 + (seed % 5));
      const trees = Array.from({ length: 25 }, () => randomTree(rng, kinds, cuts, 7, 3 + rng.int(60)));
      const rows = BLOCK_ROWS * 2 + 37 + seed;
      const X = randomMatrix(rng, kinds, cuts, 7, rows);
      const F = binForest(trees, kinds.length);
      expect(F).not.toBeNull();
      const want = reference(trees, X, 0.25);
      const got = new Float64Array(rows).fill(0.25);
      accumulateBinned(F!, X, got);
      expect(Array.from(got)).toEqual(Array.from(want));
      // The node-by-node routing agrees too (the fallback), and so does accumulateTrees, with a scale.
      const routed = new Float64Array(rows);
      accumulateRouted(trees, X, routed, 0.5);
      const viaTrees = new Float64Array(rows);
      accumulateTrees(trees, X, viaTrees, 0.5);
      const scaled = new Float64Array(rows);
      for (let r = 0; r < rows; r++) for (const t of trees) scaled[r]! += 0.5 * t.value[leafIndex(t, X, r)]!;
      expect(Array.from(routed)).toEqual(Array.from(scaled));
      expect(Array.from(viaTrees)).toEqual(Array.from(scaled));
    }
  });

  it("falls back to node-by-node routing when a feature is split both ways, with the same scores", () => {
    const b = new FlatTreeBuilder();
    const root = b.addNode(0, 1, 1);
    const l = b.addNode(0, 1, 1);
    const r = b.addNode(3, 1, 1);
    const ll = b.addNode(1, 1, 1);
    const lr = b.addNode(2, 1, 1);
    b.split(root, 0, 1.5, null, true, l, r, 1);
    b.split(l, 0, 0, [0, 1], false, ll, lr, 1);
    const tree = b.finish();
    expect(binForest([tree], 1)).toBeNull();
    const rows = 5000;
    const X: Matrix = {
      nRows: rows,
      features: [],
      columns: [Float64Array.from({ length: rows }, (_, i) => (i % 5) - 1)],
    };
    const out = new Float64Array(rows);
    accumulateTrees([tree], X, out);
    expect(Array.from(out.subarray(0, 5))).toEqual([2, 1, 1, 3, 3]);
    expect(Array.from(out)).toEqual(Array.from(reference([tree], X, 0)));
  });
});

describe("mask forest", () => {
  const cuts = [-1.5, -0.25, -0, 0, 0.125, 0.5, 1, 1.75, Infinity, -Infinity, NaN];

  it("scores random trees of up to 32 and up to 64 leaves exactly as goesLeft, over any row range", () => {
    for (let seed = 1; seed <= 6; seed++) {
      const rng = new Rng(100 + seed);
      const kinds = "ncnnccn".slice(0, 2 + (seed % 6));
      // Seeds 1-3: at most 31 leaves (32-bit masks); 4-6: up to 64 leaves (64-bit masks), and one-leaf trees.
      const maxNodes = seed <= 3 ? 61 : 127;
      const trees = Array.from({ length: 7 + seed * 5 }, (_, i) =>
        randomTree(rng, kinds, cuts, 9, i % 7 === 3 ? 1 : 3 + rng.int(maxNodes - 2)),
      );
      const rows = MASK_BLOCK_ROWS * 2 + 51 + seed;
      const X = randomMatrix(rng, kinds, cuts, 9, rows);
      const F = binForest(trees, kinds.length)!;
      const L = maskLayout(F, 0.5)!;
      expect(L.bytes).toBe(seed <= 3 ? 4 : 8);
      const scorer = MaskScorer.create(F, L)!;
      const want = new Float64Array(rows).fill(0.25);
      for (let r = 0; r < rows; r++) for (const t of trees) want[r]! += 0.5 * t.value[leafIndex(t, X, r)]!;
      const got = new Float64Array(rows).fill(0.25);
      scorer.accumulate(X, got);
      expect(Array.from(got)).toEqual(Array.from(want));
      // A range of rows only: the others are left as they were.
      const part = new Float64Array(rows).fill(0.25);
      scorer.accumulate(X, part, 700, 1900);
      expect(Array.from(part.subarray(700, 1900))).toEqual(Array.from(want.subarray(700, 1900)));
      expect(part[699]).toBe(0.25);
      expect(part[1900]).toBe(0.25);
    }
  });

  it("is off with CHURNKIT_WASM=0, and the binned forest then gives the same scores", () => {
    const rng = new Rng(21);
    const kinds = "ncnc";
    const trees = Array.from({ length: 30 }, () => randomTree(rng, kinds, cuts, 9, 3 + rng.int(59)));
    const X = randomMatrix(rng, kinds, cuts, 9, MASK_BLOCK_ROWS + 77);
    const F = binForest(trees, kinds.length)!;
    const L = maskLayout(F, 1)!;
    const saved = process.env.CHURNKIT_WASM;
    try {
      process.env.CHURNKIT_WASM = "0";
      expect(MaskScorer.create(F, L)).toBeNull();
      const off = new Float64Array(X.nRows);
      accumulateTrees(trees.slice(), X, off); // a new array: laid out again, with the switch off
      delete process.env.CHURNKIT_WASM;
      const scorer = MaskScorer.create(F, L);
      expect(scorer).not.toBeNull();
      const on = new Float64Array(X.nRows);
      scorer!.accumulate(X, on);
      expect(Array.from(off)).toEqual(Array.from(on));
      expect(Array.from(on)).toEqual(Array.from(reference(trees, X, 0)));
    } finally {
      if (saved === undefined) delete process.env.CHURNKIT_WASM;
      else process.env.CHURNKIT_WASM = saved;
    }
  });

  it("is not used for trees of more than 64 leaves (the binned forest scores them)", () => {
    const rng = new Rng(9);
    // A full tree of depth 7: 128 leaves.
    const b = new FlatTreeBuilder();
    const grow = (i: number, depth: number): void => {
      if (depth === 7) return;
      const l = b.addNode(rng.next(), 1, 1);
      const r = b.addNode(rng.next(), 1, 1);
      b.split(i, depth % 2, [0, 0.5, 1, 1.5][rng.int(4)]!, null, rng.next() < 0.5, l, r, 1);
      grow(l, depth + 1);
      grow(r, depth + 1);
    };
    grow(b.addNode(0, 1, 1), 0);
    const big = b.finish();
    expect(maskLayout(binForest([big], 2)!)).toBeNull();
    const X = randomMatrix(rng, "nn", [0, 0.5, 1, 1.5], 2, 3000);
    const out = new Float64Array(3000);
    accumulateTrees([big], X, out);
    expect(Array.from(out)).toEqual(Array.from(reference([big], X, 0)));
  });
});
