/**
 * A foreign tree ensemble (XGBoost, LightGBM) after its file is read: features as the model names them and trees
 * whose splits already follow churnkit's routing rule (core/flat-tree.ts `goesLeft`): NaN follows `missingLeft`,
 * a numeric split sends `x <= threshold` left, a categorical split sends its listed codes left or right. Each
 * reader (xgboost.ts, lightgbm.ts) does the translation of its own rule; this module turns the result into flat
 * trees once the number of category codes of each column is known (from --data or from the model).
 */
import { FlatTreeBuilder, flatTreeToJSON } from "../core/flat-tree.js";
import type { FlatTreeJSON } from "../core/types.js";

/** How a foreign model reads one of its features. */
export type ForeignKind = "numeric" | "indicator" | "categorical";

/** One feature of a foreign model, in the model's feature order. */
export interface ForeignFeature {
  /** The name the model gives it (XGBoost `feature_names`, LightGBM `feature_names=`; `f0`, `f1`... without). */
  name: string;
  /** `numeric` (also integers), `indicator` (XGBoost `i`: 0/1), `categorical` (category codes split as sets). */
  kind: ForeignKind;
  /** For categorical features: one more than the largest category code the model names (0 when none). */
  codes: number;
  /** Category labels by code when the model file has them (LightGBM's `pandas_categorical`); else undefined. */
  labels?: string[];
  /** Whether any split reads the feature. */
  used: boolean;
}

/** One node of a foreign tree, already in churnkit's routing rule. */
export interface ForeignNode {
  /** Feature index of the split, or -1 for a leaf. */
  feature: number;
  /** Numeric split: `x <= threshold` goes left (translated from the source's own comparison). */
  threshold: number;
  /** Categorical split: the category codes that go to the side `catsGoLeft` says; null for numeric splits. */
  cats: number[] | null;
  /** Whether `cats` go left (LightGBM) or right (XGBoost: the others go left). */
  catsGoLeft: boolean;
  /** Whether a missing value (NaN, or a category the model does not know) goes left. */
  missingLeft: boolean;
  /** Index of the left child in the tree's `nodes`, -1 for a leaf. */
  left: number;
  /** Index of the right child in the tree's `nodes`, -1 for a leaf. */
  right: number;
  /** Leaf value: the log-odds increment (0 at internal nodes). */
  value: number;
  /** TreeSHAP cover: the source's own (XGBoost sum_hessian, LightGBM data count). */
  cover: number;
  /** Sum of hessians reaching the node (XGBoost sum_hessian, LightGBM weight). */
  hessian: number;
  /** Split gain (0 at leaves), for gain importance. */
  gain: number;
}

/** One foreign tree; node `root` is where routing starts (0 in both sources). */
export interface ForeignTree {
  /** The nodes, in the source's numbering; those not reached from the root (XGBoost's deleted ones) are dropped. */
  nodes: ForeignNode[];
}

/** A foreign binary classifier: raw = baseline + Σ trees, in log-odds; probability = sigmoid(raw). */
export interface ForeignModel {
  /** Where it came from. */
  from: "xgboost" | "lightgbm";
  /** The writer's version as the file states it (e.g. "1.7.4", "v4"). */
  version: string;
  /** The model's features, in its column order: model column j of the churnkit model is feature j. */
  features: ForeignFeature[];
  /** The trees, in boosting order. */
  trees: ForeignTree[];
  /** The constant log-odds added to the trees (XGBoost's base_score as a margin; 0 for LightGBM). */
  baseline: number;
  /** The learning rate when the file records it (LightGBM's parameters), else null. */
  learningRate: number | null;
  /** What the reader translated or assumed, one line each, for the import log. */
  notes: string[];
}

/** A leaf node. */
export function leafNode(value: number, cover: number, hessian: number): ForeignNode {
  return {
    feature: -1,
    threshold: 0,
    cats: null,
    catsGoLeft: false,
    missingLeft: false,
    left: -1,
    right: -1,
    value,
    cover,
    hessian,
    gain: 0,
  };
}

/** The codes `0..n-1` that go left at a categorical node: its `cats` (within range), or the others. */
function leftCodes(node: ForeignNode, n: number): number[] {
  const listed = new Set(node.cats!.filter((c) => c >= 0 && c < n));
  const out: number[] = [];
  for (let c = 0; c < n; c++) if (listed.has(c) === node.catsGoLeft) out.push(c);
  return out;
}

/**
 * A foreign tree as a churnkit flat tree, numbered breadth first from the root. `categories[f]` is the number of
 * category codes of model column f (its levels): a set of right-going codes becomes the complement of left-going
 * ones within `0..categories[f]-1`. Throws (the reader checked the shape) on a node reached twice.
 */
export function toFlatTree(t: ForeignTree, categories: readonly number[]): FlatTreeJSON {
  const b = new FlatTreeBuilder();
  const source = [0]; // source[k]: the foreign node that flat node k is
  const seen = new Set<number>([0]);
  const add = (i: number) => {
    const n = t.nodes[i]!;
    source.push(i);
    return b.addNode(n.feature < 0 ? n.value : 0, n.cover, n.hessian);
  };
  b.addNode(t.nodes[0]!.feature < 0 ? t.nodes[0]!.value : 0, t.nodes[0]!.cover, t.nodes[0]!.hessian);
  for (let k = 0; k < source.length; k++) {
    const n = t.nodes[source[k]!]!;
    if (n.feature < 0) continue;
    for (const c of [n.left, n.right]) {
      if (seen.has(c)) throw new Error(`node ${c} is reached twice`);
      seen.add(c);
    }
    const left = add(n.left);
    const right = add(n.right);
    const cats = n.cats ? leftCodes(n, categories[n.feature] ?? 0) : null;
    b.split(k, n.feature, n.threshold, cats, n.missingLeft, left, right, n.gain);
  }
  return flatTreeToJSON(b.finish());
}

/**
 * Check a tree's shape as read: every child in range, each node reached once from the root, no deeper than
 * `maxDepth`. Returns the first problem as words, or null. Iterative: an untrusted depth never grows the stack.
 */
export function treeShapeProblem(t: ForeignTree, maxDepth: number): string | null {
  const n = t.nodes.length;
  if (n === 0) return "it has no nodes";
  const depth = new Int32Array(n);
  const seen = new Uint8Array(n);
  seen[0] = 1;
  const stack = [0];
  while (stack.length) {
    const i = stack.pop()!;
    const node = t.nodes[i]!;
    if (node.feature < 0) continue;
    for (const c of [node.left, node.right]) {
      if (!Number.isInteger(c) || c < 0 || c >= n) return `node ${i} has child ${c}, out of range 0..${n - 1}`;
      if (seen[c]) return `node ${c} is reached twice (a cycle or a shared node)`;
      seen[c] = 1;
      depth[c] = depth[i]! + 1;
      if (depth[c] > maxDepth) return `it is deeper than ${maxDepth} levels`;
      stack.push(c);
    }
  }
  return null;
}
