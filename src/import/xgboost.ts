/**
 * An XGBoost model saved as JSON (`Booster.save_model("model.json")`, XGBoost 1.0 and later) read into a
 * {@link ForeignModel}. The file is data: it is parsed as JSON and checked field by field, nothing in it runs.
 *
 * Translation of XGBoost's prediction rule (its CPU predictor):
 * - a value is a float32 and goes left when `float32(x) < split_condition`: the threshold becomes the largest double
 *   whose float32 is below the condition (float32.ts), so every double routes as in XGBoost;
 * - missing goes to `default_left`;
 * - a categorical split (`split_type` 1, `enable_categorical`) lists the categories that go right; every other
 *   code goes left;
 * - leaf values (`split_conditions` of leaves) and the condition are float32: read back exactly with Math.fround;
 * - the margin starts at `base_score` (a probability; XGBoost 3.1 writes it as a one-element list "[5E-1]") mapped
 *   through the logit, as XGBoost's binary:logistic does; XGBoost sums in float32, churnkit in double (the
 *   probabilities differ by float32 rounding, about 1e-7);
 * - TreeSHAP cover is `sum_hessian`, as XGBoost's own pred_contribs uses.
 */
import { z } from "zod";
import { MAX_TREE_DEPTH } from "../learners/flat-tree-schema.js";
import { show, UserError } from "../utils/errors.js";
import { float32CutAsDouble } from "./float32.js";
import { leafNode, treeShapeProblem, type ForeignFeature, type ForeignModel, type ForeignNode } from "./foreign.js";

const intText = z.union([z.string().regex(/^-?\d+$/), z.int()]).transform(Number);
const num = z.union([z.number(), z.null()]).transform((v) => v ?? NaN); // NaN tokens were read as null
const flag = z.union([z.boolean(), z.int().min(0).max(1)]).transform((v) => v === true || v === 1);

const treeSchema = z.object({
  left_children: z.array(z.int()),
  right_children: z.array(z.int()),
  split_indices: z.array(z.int().min(0)),
  split_conditions: z.array(num),
  default_left: z.array(flag),
  sum_hessian: z.array(num),
  loss_changes: z.array(num),
  split_type: z.array(z.int().min(0).max(1)).optional(),
  categories: z.array(z.int().min(0)).optional(),
  categories_nodes: z.array(z.int().min(0)).optional(),
  categories_segments: z.array(z.int().min(0)).optional(),
  categories_sizes: z.array(z.int().min(0)).optional(),
  tree_param: z.looseObject({ size_leaf_vector: intText.optional() }).optional(),
});

const modelSchema = z.object({
  version: z.array(z.int()).optional(),
  learner: z.object({
    feature_names: z.array(z.string()).optional(),
    feature_types: z.array(z.string()).optional(),
    learner_model_param: z.looseObject({
      base_score: z.string(),
      num_class: intText.optional(),
      num_feature: intText,
      num_target: intText.optional(),
    }),
    objective: z.looseObject({ name: z.string() }),
    gradient_booster: z.looseObject({
      name: z.string(),
      model: z.looseObject({ trees: z.array(z.unknown()) }).optional(),
    }),
  }),
});

/**
 * XGBoost's JSON writer spells non-finite floats as the bare tokens NaN, Infinity and -Infinity (a categorical
 * split's condition is NaN), which JSON.parse refuses: they become null (read back as NaN, refused where a number
 * is needed). The pattern consumes whole strings first, so a feature named "NaN" is left alone.
 */
const NON_FINITE = /"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g;
const nonFiniteToNull = (text: string): string => text.replace(NON_FINITE, (m) => (m[0] === '"' ? m : "null"));

/** Parse the file's text; a UserError names the file and says how to save a JSON model. */
function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(nonFiniteToNull(text));
  } catch (e) {
    const why = e instanceof Error ? e.message.split("\n")[0] : String(e);
    throw new UserError(
      `${file}: not an XGBoost JSON model (${why}); save it with booster.save_model("model.json") (the .json extension selects JSON, not UBJSON)`,
    );
  }
}

const KINDS: Record<string, ForeignFeature["kind"]> = {
  q: "numeric",
  float: "numeric",
  int: "numeric",
  i: "indicator",
  c: "categorical",
};

/** base_score as XGBoost stores it ("5E-1", or "[5E-1]" from 3.1 on): a probability in (0, 1). */
function baseScore(text: string, file: string): number {
  const inner = text.trim().replace(/^\[(.*)\]$/, "$1");
  const parts = inner.split(",").map((s) => s.trim());
  const p = Number(parts[0]);
  if (parts.length !== 1 || parts[0] === "" || !(p > 0 && p < 1))
    throw new UserError(
      `${file}: learner_model_param.base_score is ${show(text)}, not one probability between 0 and 1; re-save the model with XGBoost`,
    );
  return Math.fround(p);
}

/** Read an XGBoost JSON model (the text of `file`). Every problem is a one-line UserError naming the file. */
export function readXgboost(text: string, file: string): ForeignModel {
  const doc = parseJson(text, file);
  if (doc === null || typeof doc !== "object" || !("learner" in doc))
    throw new UserError(
      `${file}: not an XGBoost JSON model (no "learner" object); save it with booster.save_model("model.json")`,
    );
  const parsed = modelSchema.safeParse(doc);
  if (!parsed.success) throw issue(file, parsed.error, "learner");
  const { learner, version } = parsed.data;
  const param = learner.learner_model_param;
  const objective = learner.objective.name;
  if ((param.num_class ?? 0) > 1 || (param.num_target ?? 1) > 1)
    throw new UserError(
      `${file}: a multiclass or multi-target XGBoost model (num_class ${param.num_class ?? 0}, num_target ${param.num_target ?? 1}, objective ${objective}); churnkit imports binary classifiers (objective binary:logistic)`,
    );
  if (objective !== "binary:logistic")
    throw new UserError(
      `${file}: objective ${show(objective)} is not supported; churnkit imports binary classifiers trained with objective binary:logistic`,
    );
  const booster = learner.gradient_booster.name;
  if (booster !== "gbtree" || !learner.gradient_booster.model)
    throw new UserError(
      `${file}: booster ${show(booster)} is not supported (dart weights its trees, gblinear has none); churnkit imports gbtree models`,
    );
  const n = param.num_feature;
  const names = learner.feature_names?.length ? learner.feature_names : Array.from({ length: n }, (_, j) => `f${j}`);
  const types = learner.feature_types?.length ? learner.feature_types : names.map(() => "q");
  if (names.length !== n || types.length !== n)
    throw new UserError(
      `${file}: ${names.length} feature_names and ${types.length} feature_types for num_feature ${n}; re-save the model with XGBoost`,
    );
  const notes: string[] = [];
  if (!learner.feature_names?.length)
    notes.push(`the model has no feature_names: its columns are named f0..f${n - 1}, as XGBoost names them`);
  const features: ForeignFeature[] = names.map((name, j) => {
    const kind = KINDS[types[j]!];
    if (!kind)
      throw new UserError(
        `${file}: feature ${show(name)} has feature type ${show(types[j])}, not one of q, float, int, i, c`,
      );
    return { name, kind, codes: 0, used: false };
  });
  checkNames(file, names);
  const raws = learner.gradient_booster.model.trees.map((raw, t) => {
    const r = treeSchema.safeParse(raw);
    if (!r.success) throw issue(file, r.error, `trees[${t}]`);
    return r.data;
  });
  // Without feature_types, a feature is categorical when a split treats it so.
  if (!learner.feature_types?.length)
    for (const r of raws)
      r.split_type?.forEach((s, i) => {
        const f = features[r.split_indices[i]!];
        if (s === 1 && f && r.left_children[i] !== -1) f.kind = "categorical";
      });
  const trees = raws.map((r, t) => readTree(r, t, features, file));
  const base = baseScore(param.base_score, file);
  return {
    from: "xgboost",
    version: version?.join(".") ?? "unknown",
    features,
    trees,
    baseline: Math.fround(Math.log(base / (1 - base))),
    learningRate: null,
    notes,
  };
}

/** Feature names must be distinct and non-empty: each becomes an input column. */
export function checkNames(file: string, names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (name.trim() === "") throw new UserError(`${file}: a feature has an empty name; name every feature`);
    if (seen.has(name))
      throw new UserError(`${file}: feature name ${show(name)} appears twice; names must be distinct`);
    seen.add(name);
  }
}

function issue(file: string, err: z.ZodError, at: string): UserError {
  const i = err.issues[0]!;
  const path = [at, ...i.path.map(String)].join(".");
  return new UserError(`${file}: not a valid XGBoost model (${path}: ${i.message}); re-save it with XGBoost`);
}

type RawTree = z.output<typeof treeSchema>;

/** One tree in churnkit's rule; `features` learn which are used and their category codes. */
function readTree(r: RawTree, t: number, features: ForeignFeature[], file: string) {
  const n = r.left_children.length;
  const at = (what: string) => `${file}: tree ${t}${what}`;
  for (const k of ["right_children", "split_indices", "split_conditions", "default_left", "sum_hessian"] as const)
    if (r[k].length !== n)
      throw new UserError(at(`: ${k} has ${r[k].length} entries, left_children ${n}; re-save the model`));
  if ((r.tree_param?.size_leaf_vector ?? 0) > 0)
    throw new UserError(
      at(": vector leaves (multi-target trees) are not supported; churnkit imports binary classifiers"),
    );
  // Categorical nodes: node id -> its right-going categories.
  const catsOf = new Map<number, number[]>();
  const cn = r.categories_nodes ?? [];
  for (let k = 0; k < cn.length; k++) {
    const start = r.categories_segments?.[k];
    const size = r.categories_sizes?.[k];
    const cats = r.categories ?? [];
    if (start === undefined || size === undefined || start + size > cats.length)
      throw new UserError(at(`: categories of node ${cn[k]} are out of range; re-save the model`));
    catsOf.set(cn[k]!, cats.slice(start, start + size));
  }
  const nodes: ForeignNode[] = [];
  for (let i = 0; i < n; i++) {
    const cover = r.sum_hessian[i]!;
    if (!(cover >= 0)) throw new UserError(at(`, node ${i}: sum_hessian ${cover} is not a number >= 0`));
    if (r.left_children[i] === -1) {
      const v = r.split_conditions[i]!;
      if (!Number.isFinite(v)) throw new UserError(at(`, node ${i}: leaf value ${v} is not a finite number`));
      nodes.push(leafNode(Math.fround(v), cover, cover));
      continue;
    }
    const f = r.split_indices[i]!;
    const feature = features[f];
    if (!feature) throw new UserError(at(`, node ${i}: feature index ${f} out of range 0..${features.length - 1}`));
    feature.used = true;
    const categorical = r.split_type?.[i] === 1;
    const cats = categorical ? catsOf.get(i) : undefined;
    if (categorical && !cats)
      throw new UserError(at(`, node ${i}: a categorical split without categories; re-save the model`));
    if (categorical !== (feature.kind === "categorical"))
      throw new UserError(
        at(
          `, node ${i}: feature ${show(feature.name)} (type ${feature.kind}) has a ${categorical ? "categorical" : "numeric"} split; re-save the model`,
        ),
      );
    let threshold = 0;
    if (cats) {
      for (const c of cats) feature.codes = Math.max(feature.codes, c + 1);
    } else {
      const c = r.split_conditions[i]!;
      if (!Number.isFinite(Math.fround(c)))
        throw new UserError(at(`, node ${i}: split condition ${c} is not a finite number`));
      threshold = float32CutAsDouble(Math.fround(c));
    }
    nodes.push({
      feature: f,
      threshold,
      cats: cats ?? null,
      catsGoLeft: false,
      missingLeft: r.default_left[i]!,
      left: r.left_children[i]!,
      right: r.right_children[i]!,
      value: 0,
      cover,
      hessian: cover,
      gain: Number.isFinite(r.loss_changes[i]) ? r.loss_changes[i]! : 0,
    });
  }
  const tree = { nodes };
  const bad = treeShapeProblem(tree, MAX_TREE_DEPTH);
  if (bad) throw new UserError(at(`: ${bad}; re-save the model`));
  return tree;
}
