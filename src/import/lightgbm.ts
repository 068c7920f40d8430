/**
 * A LightGBM model in its text format (`Booster.save_model("model.txt")`) read into a {@link ForeignModel}: a
 * header of `key=value` lines, one `Tree=k` block per tree, `end of trees`, then importances, `parameters:` and
 * the Python package's `pandas_categorical:` line. The file is data: lines are split and numbers parsed, nothing
 * in it runs.
 *
 * Translation of LightGBM's prediction rule (Tree::Decision in include/LightGBM/tree.h), values compared as
 * doubles, so thresholds are kept as they are:
 * - numeric (`decision_type` bit 0 clear): `x <= threshold` goes left. Missing type (bits 2-3) None: NaN is
 *   read as 0, so it goes where 0 goes; NaN: NaN follows the default-left bit (bit 1); Zero: NaN and |x| <= 1e-35
 *   follow the default direction, which one flat node expresses only when the comparison sends those values the
 *   same way (default left with threshold >= 1e-35, or default right with threshold < -1e-35); other Zero splits
 *   are refused, naming the tree and node;
 * - categorical (bit 0 set): the codes whose bit is set in the node's `cat_threshold` words go left; NaN, negative
 *   and unlisted codes go right;
 * - leaf values already include the shrinkage; the first tree holds the starting score, so the baseline is 0;
 *   `objective=binary sigmoid:S` gives probability sigmoid(S · raw), so leaf values are multiplied by S;
 *   `average_output` (random forest mode) divides them by the number of trees;
 * - TreeSHAP cover is the data count (`internal_count`, `leaf_count`), as LightGBM's own contributions use.
 */
import { MAX_TREE_DEPTH } from "../learners/flat-tree-schema.js";
import { show, UserError } from "../utils/errors.js";
import { leafNode, treeShapeProblem, type ForeignFeature, type ForeignModel, type ForeignNode } from "./foreign.js";
import { checkNames } from "./xgboost.js";

/** LightGBM's kZeroThreshold (1e-35f) as the double it compares with. */
const ZERO = Math.fround(1e-35);

/** The `key=value` lines of one section (a key alone on its line has the value ""). */
type Section = Map<string, string>;

/** Split the text into the header, the tree blocks and the trailing lines. */
function sections(text: string, file: string): { header: Section; trees: Section[]; tail: string[] } {
  const lines = text.split(/\r?\n/);
  const header: Section = new Map();
  const trees: Section[] = [];
  const firstLine = lines.findIndex((l) => l.trim() !== "");
  if (firstLine < 0 || lines[firstLine]!.trim() !== "tree")
    throw new UserError(
      `${file}: not a LightGBM text model (it does not start with the line "tree"); save it with booster.save_model("model.txt")`,
    );
  let k = firstLine + 1;
  for (; k < lines.length && !lines[k]!.startsWith("Tree="); k++) {
    const line = lines[k]!;
    if (line === "" || line === "end of trees") {
      if (line === "end of trees") break;
      continue;
    }
    const eq = line.indexOf("=");
    header.set(eq < 0 ? line : line.slice(0, eq), eq < 0 ? "" : line.slice(eq + 1));
  }
  for (; k < lines.length && lines[k]!.startsWith("Tree=");) {
    const block: Section = new Map();
    for (k++; k < lines.length && lines[k] !== "" && !lines[k]!.startsWith("Tree="); k++) {
      const line = lines[k]!;
      const eq = line.indexOf("=");
      if (eq < 0) break;
      block.set(line.slice(0, eq), line.slice(eq + 1));
    }
    trees.push(block);
    while (k < lines.length && lines[k] === "") k++;
  }
  return { header, trees, tail: lines.slice(k) };
}

/** A whitespace-separated list of numbers, `count` of them; a UserError names the key. */
function numbers(s: Section, key: string, count: number, at: string, integers = false): number[] {
  const text = s.get(key);
  if (text === undefined) {
    if (count === 0) return [];
    throw new UserError(`${at}: "${key}=" is missing; re-save the model with LightGBM`);
  }
  const parts = text.trim() === "" ? [] : text.trim().split(/\s+/);
  const out = parts.map(Number);
  if (out.length !== count || out.some((v) => Number.isNaN(v) || (integers && !Number.isInteger(v))))
    throw new UserError(
      `${at}: "${key}=" must hold ${count} ${integers ? "integers" : "numbers"}, found ${show(text, 60)}; re-save the model with LightGBM`,
    );
  return out;
}

const int = (s: Section, key: string, at: string): number => numbers(s, key, 1, at, true)[0]!;

/** The category codes a feature_infos entry lists ("2:0:1:3"), or null for a numeric "[min:max]" or "none". */
function infoCodes(info: string): number[] | null {
  if (info === "none" || info.startsWith("[")) return null;
  const codes = info.split(":").map(Number);
  return codes.every((c) => Number.isInteger(c) && c >= 0) ? codes : null;
}

/** The Python package's `pandas_categorical:` line: category labels per categorical column, or null. */
function pandasCategorical(tail: string[], file: string): string[][] | null {
  const line = tail.find((l) => l.startsWith("pandas_categorical:"));
  if (!line) return null;
  let v: unknown;
  try {
    v = JSON.parse(line.slice("pandas_categorical:".length));
  } catch {
    throw new UserError(`${file}: the pandas_categorical line is not JSON; re-save the model with LightGBM`);
  }
  if (v === null) return null;
  if (
    !Array.isArray(v) ||
    !v.every((l) => Array.isArray(l) && l.every((x) => typeof x === "string" || typeof x === "number"))
  )
    throw new UserError(`${file}: pandas_categorical is not a list of label lists; re-save the model with LightGBM`);
  return v.map((l) => l.map(String));
}

/** A `[key: value]` line of the parameters section, or undefined. */
function parameter(tail: string[], key: string): string | undefined {
  const m = tail.map((l) => new RegExp(`^\\[${key}: (.*)\\]$`).exec(l)).find(Boolean);
  return m?.[1];
}

/** Read a LightGBM text model (the text of `file`). Every problem is a one-line UserError naming the file. */
export function readLightgbm(text: string, file: string): ForeignModel {
  const { header, trees: blocks, tail } = sections(text, file);
  const numClass = int(header, "num_class", file);
  const perIteration = header.has("num_tree_per_iteration") ? int(header, "num_tree_per_iteration", file) : numClass;
  const objective = header.get("objective");
  if (numClass !== 1 || perIteration !== 1)
    throw new UserError(
      `${file}: a multiclass LightGBM model (num_class ${numClass}, objective ${objective ?? "none"}); churnkit imports binary classifiers (objective binary)`,
    );
  const [objName, ...objArgs] = (objective ?? "").trim().split(/\s+/);
  if (objName !== "binary")
    throw new UserError(
      `${file}: objective ${show(objective ?? "(none: a custom objective)")} is not supported; churnkit imports binary classifiers trained with objective binary`,
    );
  const sigmoidArg = objArgs.find((a) => a.startsWith("sigmoid:"));
  const sigmoid = sigmoidArg ? Number(sigmoidArg.slice("sigmoid:".length)) : 1;
  if (!(sigmoid > 0 && Number.isFinite(sigmoid)))
    throw new UserError(`${file}: objective ${show(objective)} has sigmoid ${show(sigmoidArg)}, not a positive number`);
  const n = int(header, "max_feature_idx", file) + 1;
  const names = (header.get("feature_names") ?? "").split(" ");
  const infos = (header.get("feature_infos") ?? "").split(" ");
  if (names.length !== n || infos.length !== n)
    throw new UserError(
      `${file}: ${names.length} feature_names and ${infos.length} feature_infos for max_feature_idx ${n - 1}; re-save the model with LightGBM`,
    );
  checkNames(file, names);
  const features: ForeignFeature[] = names.map((name, j) => {
    const codes = infoCodes(infos[j]!);
    return {
      name,
      kind: codes ? "categorical" : "numeric",
      codes: codes ? codes.reduce((a, c) => Math.max(a, c + 1), 0) : 0,
      used: false,
    };
  });
  const notes: string[] = [];
  const cats = features.filter((f) => f.kind === "categorical");
  const labels = pandasCategorical(tail, file);
  if (labels && labels.length === cats.length)
    cats.forEach((f, k) => {
      f.labels = labels[k]!;
      f.codes = Math.max(f.codes, f.labels.length);
    });
  else if (labels)
    notes.push(
      `pandas_categorical lists ${labels.length} columns but the model has ${cats.length} categorical features: category labels are not used`,
    );
  const average = header.has("average_output");
  const scale = sigmoid / (average ? Math.max(1, blocks.length) : 1);
  if (sigmoid !== 1) notes.push(`objective sigmoid ${sigmoid}: leaf values are multiplied by ${sigmoid}`);
  if (average) notes.push(`average_output: leaf values are divided by the ${blocks.length} trees`);
  const trees = blocks.map((b, t) => readTree(b, features, scale, `${file}: tree ${t}`));
  const lr = Number(parameter(tail, "learning_rate"));
  return {
    from: "lightgbm",
    version: header.get("version") ?? "unknown",
    features,
    trees,
    baseline: 0,
    learningRate: lr > 0 ? lr : null,
    notes,
  };
}

/** One `Tree=` block in churnkit's rule. Internal node i is node i; leaf l is node (leaves − 1) + l. */
function readTree(b: Section, features: ForeignFeature[], scale: number, at: string) {
  const leaves = int(b, "num_leaves", at);
  if (leaves < 1) throw new UserError(`${at}: num_leaves ${leaves} is below 1; re-save the model with LightGBM`);
  if (b.has("is_linear") && int(b, "is_linear", at) !== 0)
    throw new UserError(`${at}: linear trees (linear_tree) are not supported; train without linear_tree`);
  const m = leaves - 1;
  const value = numbers(b, "leaf_value", leaves, at);
  if (m === 0) {
    const count = b.has("leaf_count") ? numbers(b, "leaf_count", 1, at)[0]! : 0;
    return { nodes: [leafNode(value[0]! * scale, count, count)] };
  }
  const feature = numbers(b, "split_feature", m, at, true);
  const gain = numbers(b, "split_gain", m, at);
  const threshold = numbers(b, "threshold", m, at);
  const decision = numbers(b, "decision_type", m, at, true);
  const left = numbers(b, "left_child", m, at, true);
  const right = numbers(b, "right_child", m, at, true);
  const leafCount = numbers(b, "leaf_count", leaves, at);
  const leafWeight = numbers(b, "leaf_weight", leaves, at);
  const count = numbers(b, "internal_count", m, at);
  const weight = numbers(b, "internal_weight", m, at);
  const numCat = int(b, "num_cat", at);
  const bounds = numCat > 0 ? numbers(b, "cat_boundaries", numCat + 1, at, true) : [0];
  const words = numCat > 0 ? (b.get("cat_threshold") ?? "").trim().split(/\s+/).map(Number) : [];
  if (words.length !== bounds[bounds.length - 1] || words.some((w) => !Number.isInteger(w) || w < 0 || w >= 2 ** 32))
    throw new UserError(`${at}: cat_threshold does not match cat_boundaries; re-save the model with LightGBM`);
  const child = (c: number) => (c >= 0 ? c : m + ~c);
  const nodes: ForeignNode[] = [];
  for (let i = 0; i < m; i++) {
    const f = feature[i]!;
    const info = features[f];
    const where = `${at}, node ${i}`;
    if (!info) throw new UserError(`${where}: split_feature ${f} out of range 0..${features.length - 1}`);
    info.used = true;
    const d = decision[i]!;
    const defaultLeft = (d & 2) !== 0;
    const missing = (d >> 2) & 3;
    const node: ForeignNode = {
      feature: f,
      threshold: threshold[i]!,
      cats: null,
      catsGoLeft: true,
      missingLeft: false,
      left: child(left[i]!),
      right: child(right[i]!),
      value: 0,
      cover: count[i]!,
      hessian: weight[i]!,
      gain: gain[i]!,
    };
    if (d & 1) {
      if (info.kind !== "categorical")
        throw new UserError(`${where}: a categorical split on ${show(info.name)}, whose feature_infos is numeric`);
      const k = threshold[i]!;
      if (!Number.isInteger(k) || k < 0 || k >= numCat)
        throw new UserError(`${where}: category set ${k} out of range 0..${numCat - 1}`);
      const set: number[] = [];
      for (let w = bounds[k]!; w < bounds[k + 1]!; w++)
        for (let bit = 0; bit < 32; bit++) if ((words[w]! >>> bit) & 1) set.push((w - bounds[k]!) * 32 + bit);
      node.cats = set;
      node.threshold = 0;
      for (const c of set) info.codes = Math.max(info.codes, c + 1);
    } else {
      if (info.kind === "categorical")
        throw new UserError(`${where}: a numeric split on categorical feature ${show(info.name)}`);
      const th = threshold[i]!;
      if (missing === 0) node.missingLeft = 0 <= th;
      else if (missing === 2) node.missingLeft = defaultLeft;
      else if (missing === 1 && ((defaultLeft && th >= ZERO) || (!defaultLeft && th < -ZERO)))
        node.missingLeft = defaultLeft;
      else
        throw new UserError(
          `${where}: missing type ${missing === 1 ? `Zero (zero_as_missing) with the default ${defaultLeft ? "left" : "right"} at threshold ${th}` : missing} cannot be expressed as one churnkit split; retrain without zero_as_missing`,
        );
    }
    nodes.push(node);
  }
  for (let l = 0; l < leaves; l++) nodes.push(leafNode(value[l]! * scale, leafCount[l]!, leafWeight[l]!));
  const tree = { nodes };
  const bad = treeShapeProblem(tree, MAX_TREE_DEPTH);
  if (bad) throw new UserError(`${at}: ${bad}; re-save the model with LightGBM`);
  if (nodes.some((x) => !Number.isFinite(x.value) || !(x.cover >= 0) || !(x.hessian >= 0)))
    throw new UserError(`${at}: a leaf value, count or weight is not a finite number >= 0; re-save the model`);
  return tree;
}
