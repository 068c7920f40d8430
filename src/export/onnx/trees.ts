/**
 * A tree ensemble ({@link TreesScoreForm}) as one ai.onnx.ml TreeEnsemble node (opset 5), in double precision.
 *
 * Routing is core/flat-tree's `goesLeft`, node for node: a numeric split is BRANCH_LEQ (x <= threshold goes to the
 * true branch, the left child); a categorical split is BRANCH_MEMBER, its set the category codes that go left; a
 * missing value (NaN) follows `missingLeft` (nodes_missing_value_tracks_true). Leaf values and the sums are doubles.
 * Each tree's weight (`scale`, 1/trees for a forest) is folded into its leaf values; `base` is added after.
 * Thresholds on a float32 input column are chosen by float32.ts (float32Threshold) so that its values reach
 * churnkit's leaf.
 */
import type { FlatTree } from "../../core/types.js";
import type { TreesScoreForm } from "../../learners/registry.js";
import { float32Threshold } from "./float32.js";
import { doubleTensor, ML, uint8Tensor, type GraphBuilder } from "./graph.js";

/** TreeEnsemble's node modes (nodes_modes). */
const BRANCH_LEQ = 0;
const BRANCH_MEMBER = 6;

/** The attributes of TreeEnsemble, as flat lists over all trees' interior nodes and leaves. */
interface EnsembleLists {
  roots: number[];
  featureIds: number[];
  modes: number[];
  splits: number[];
  trueIds: number[];
  trueLeaf: number[];
  falseIds: number[];
  falseLeaf: number[];
  missingTrue: number[];
  /** Category codes of each BRANCH_MEMBER node, in node order, each set closed by NaN. */
  members: number[];
  leafWeights: number[];
}

/** Add tree `t` (leaf values times `scale`) to the lists. */
function addTree(out: EnsembleLists, t: FlatTree, scale: number, fromFloat: readonly boolean[]): void {
  const interior = new Map<number, number>(); // flat node → TreeEnsemble interior id
  const leaf = new Map<number, number>(); // flat node → leaf id
  // Number every node first (a child may come before or after its parent in the flat arrays).
  const stack = [0];
  const order: number[] = [];
  while (stack.length) {
    const i = stack.pop()!;
    order.push(i);
    if (t.feature[i]! >= 0) {
      interior.set(i, out.featureIds.length + interior.size);
      stack.push(t.right[i]!, t.left[i]!);
    } else {
      leaf.set(i, out.leafWeights.length + leaf.size);
    }
  }
  if (interior.size === 0) {
    // A tree that is one leaf: TreeEnsemble roots are interior nodes, so both branches of a dummy split lead to it.
    out.roots.push(out.featureIds.length);
    out.featureIds.push(0);
    out.modes.push(BRANCH_LEQ);
    out.splits.push(0);
    out.trueIds.push(out.leafWeights.length);
    out.falseIds.push(out.leafWeights.length);
    out.trueLeaf.push(1);
    out.falseLeaf.push(1);
    out.missingTrue.push(0);
    out.leafWeights.push(scale * t.value[0]!);
    return;
  }
  out.roots.push(interior.get(0)!);
  const ref = (child: number): [number, number] =>
    interior.has(child) ? [interior.get(child)!, 0] : [leaf.get(child)!, 1];
  // Interior nodes and leaves in their id order (ids were given in the traversal order).
  for (const i of order) {
    if (t.feature[i]! < 0) {
      out.leafWeights.push(scale * t.value[i]!);
      continue;
    }
    const cats = t.catLeft[i] ?? null;
    out.featureIds.push(t.feature[i]!);
    if (cats && cats.length > 0) {
      out.modes.push(BRANCH_MEMBER);
      out.splits.push(NaN);
      for (const c of cats) out.members.push(c);
      out.members.push(NaN);
    } else {
      // An empty category set sends only missing values left: no code (>= 0) is <= −∞.
      out.modes.push(BRANCH_LEQ);
      const th = t.threshold[i]!;
      out.splits.push(cats ? -Infinity : fromFloat[t.feature[i]!] ? float32Threshold(th) : th);
    }
    const [l, lLeaf] = ref(t.left[i]!);
    const [r, rLeaf] = ref(t.right[i]!);
    out.trueIds.push(l);
    out.trueLeaf.push(lLeaf);
    out.falseIds.push(r);
    out.falseLeaf.push(rLeaf);
    out.missingTrue.push(t.missingLeft[i] === 1 ? 1 : 0);
  }
}

/**
 * The ensemble's output `base + Σ_t scale[t] · tree_t(X)`, [N, 1] doubles, from the model matrix `X`.
 * `fromFloat[j]`: model column j is a float graph input, unchanged but for the cast (its thresholds are rounded).
 */
export function treeEnsemble(g: GraphBuilder, form: TreesScoreForm, X: string, fromFloat: readonly boolean[]): string {
  const lists: EnsembleLists = {
    roots: [],
    featureIds: [],
    modes: [],
    splits: [],
    trueIds: [],
    trueLeaf: [],
    falseIds: [],
    falseLeaf: [],
    missingTrue: [],
    members: [],
    leafWeights: [],
  };
  const { trees, scale, base } = form.ensemble;
  trees.forEach((t, k) => addTree(lists, t, scale[k]!, fromFloat));
  const sum = g.op(
    "TreeEnsemble",
    [X],
    {
      aggregate_function: { int: 1 }, // SUM
      post_transform: { int: 0 }, // NONE
      n_targets: { int: 1 },
      tree_roots: { ints: lists.roots },
      nodes_featureids: { ints: lists.featureIds },
      nodes_modes: { tensor: uint8Tensor(lists.modes) },
      nodes_splits: { tensor: doubleTensor(lists.splits) },
      nodes_truenodeids: { ints: lists.trueIds },
      nodes_trueleafs: { ints: lists.trueLeaf },
      nodes_falsenodeids: { ints: lists.falseIds },
      nodes_falseleafs: { ints: lists.falseLeaf },
      nodes_missing_value_tracks_true: { ints: lists.missingTrue },
      ...(lists.members.length ? { membership_values: { tensor: doubleTensor(lists.members) } } : {}),
      leaf_targetids: { ints: lists.leafWeights.map(() => 0) },
      leaf_weights: { tensor: doubleTensor(lists.leafWeights) },
    },
    ML,
  );
  return base === 0 ? sum : g.op("Add", [sum, g.double("ensemble_base", base)]);
}
