/**
 * The schema of a flat tree in model.json ({@link FlatTreeJSON}), shared by tree, forest and gbdt.
 * Beyond types it checks what prediction relies on: equal array lengths, feature indices in
 * range of the model's columns, category sets of in-range integer codes, sorted (prediction
 * searches them by bisection), and the shape: every child index in range and each node reached
 * exactly once from the root, so routing a row always ends at a leaf. The walk is iterative:
 * an untrusted depth never grows the call stack.
 */
import { z } from "zod";
import type { FeatureInfo } from "../core/types.js";

/** What a family's state is checked against: the model columns that preprocessing produces. */
export interface StateContext {
  /** The model columns (preprocess.features), in matrix order. */
  features: readonly FeatureInfo[];
}

const FIELDS = ["threshold", "catLeft", "missingLeft", "left", "right", "value", "count", "hessian", "gain"] as const;

/** Leaf values: probabilities in [0, 1] (tree, forest) or raw log-odds increments (gbdt). */
export type LeafValues = "probability" | "score";

const flatTreeShape = {
  /** Feature index of the split, or -1 for a leaf. */
  feature: z.array(z.int().min(-1)),
  threshold: z.array(z.number()),
  catLeft: z.array(z.array(z.int().min(0)).nullable()),
  /** 1 if missing values go left, 0 if right. */
  missingLeft: z.array(z.int().min(0).max(1)),
  left: z.array(z.int().min(-1)),
  right: z.array(z.int().min(-1)),
  value: z.array(z.number()),
  count: z.array(z.number().min(0)),
  hessian: z.array(z.number().min(0)),
  gain: z.array(z.number()),
};

/**
 * Deepest tree accepted (root = depth 0). Trained trees stay far below it (gbdt's leaf cap, a
 * forest on Telco reaches 18); explanations need memory quadratic in depth, so deeper is refused.
 */
export const MAX_TREE_DEPTH = 1000;

type Issue = { path: (string | number)[]; message: string };

/**
 * The first problem of a flat tree that has the right types, or null. `ctx` absent: only the
 * shape is checked (as for the published JSON Schema, which cannot know the model's columns).
 */
export function flatTreeProblem(
  t: z.output<z.ZodObject<typeof flatTreeShape>>,
  leaves: LeafValues,
  ctx?: StateContext,
): Issue | null {
  const n = t.feature.length;
  if (n === 0) return { path: ["feature"], message: "a tree needs at least one node" };
  for (const k of FIELDS) {
    if (t[k].length !== n) return { path: [k], message: `has ${t[k].length} entries, "feature" has ${n}` };
  }
  const nFeatures = ctx?.features.length ?? Infinity;
  for (let i = 0; i < n; i++) {
    const f = t.feature[i]!;
    const cats = t.catLeft[i] ?? null;
    if (f < 0) {
      if (t.left[i] !== -1 || t.right[i] !== -1)
        return { path: ["left", i], message: "a leaf (feature -1) must have children -1" };
      const v = t.value[i]!;
      if (leaves === "probability" && !(v >= 0 && v <= 1))
        return { path: ["value", i], message: `leaf value ${v} is not a probability in [0, 1]` };
      continue;
    }
    if (f >= nFeatures)
      return {
        path: ["feature", i],
        message: `feature ${f} out of range 0..${nFeatures - 1}`,
      };
    for (const side of ["left", "right"] as const) {
      const c = t[side][i]!;
      if (c < 1 || c >= n) return { path: [side, i], message: `child ${c} out of range 1..${n - 1}` };
    }
    if (cats !== null) {
      const info = ctx?.features[f];
      if (info && info.kind !== "categorical")
        return {
          path: ["catLeft", i],
          message: `a category set on feature ${f} ("${info.name}"), which is not categorical`,
        };
      const limit = info?.nCategories ?? Infinity;
      for (let k = 0; k < cats.length; k++) {
        const c = cats[k]!;
        if (c >= limit)
          return {
            path: ["catLeft", i, k],
            message: `category code ${c} out of range 0..${limit - 1}`,
          };
        if (k > 0 && c <= cats[k - 1]!)
          return { path: ["catLeft", i, k], message: "category codes must be sorted ascending without repeats" };
      }
    }
  }
  // Each node reached exactly once from the root: no cycle, no shared child, no orphan.
  const seen = new Uint8Array(n);
  const depth = new Int32Array(n);
  const stack = [0];
  seen[0] = 1;
  let reached = 1;
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (t.feature[i]! < 0) continue;
    for (const side of ["left", "right"] as const) {
      const c = t[side][i]!;
      if (seen[c]) return { path: [side, i], message: `child ${c} is reached twice: a cycle or a shared node` };
      depth[c] = depth[i]! + 1;
      if (depth[c] > MAX_TREE_DEPTH)
        return { path: [side, i], message: `the tree is deeper than ${MAX_TREE_DEPTH} levels` };
      seen[c] = 1;
      reached++;
      stack.push(c);
    }
  }
  if (reached < n) return { path: ["feature", seen.indexOf(0)], message: "node not reached from the root" };
  return null;
}

/** Schema of one flat tree; `ctx` adds the checks against the model's columns. */
export function flatTreeSchema(leaves: LeafValues, ctx?: StateContext) {
  return z.object(flatTreeShape).superRefine((t, rc) => {
    const p = flatTreeProblem(t, leaves, ctx);
    if (p) rc.addIssue({ code: "custom", path: p.path, message: p.message });
  });
}

/** Issue for a state whose `n_features` disagrees with the preprocessing's model columns. */
export function featureCountIssue(n: number, ctx?: StateContext): string | null {
  if (!ctx || n === ctx.features.length) return null;
  return `${n}, but preprocessing makes ${ctx.features.length} model columns`;
}
