/**
 * The one registry of model families. A family is one {@link FamilySpec}, registered once with
 * {@link registerFamily}; the config's family names, `init`'s comments, explanations, importance,
 * the report and the model.json schema all read it. This module is deliberately light (types,
 * zod and the config's error formatting only) so that the config can check family names against
 * it without importing any learner: the built-in families register themselves in `families.ts`.
 */
import type { z } from "zod";
import { zodToUserError } from "../utils/zod-errors.js";
import type { BatchExplanation, OutputSpace, TreeEnsemble } from "../explain/ensemble.js";
import type { Rng } from "../utils/random.js";
import type { StateContext } from "./flat-tree-schema.js";
import type { Classifier, EncodingNeeds, Estimator, FeatureInfo, FlatTreeJSON, Matrix, Task } from "../core/types.js";

/** Explains encoded rows of a model in log-odds, per model column. */
export type Explainer = (X: Matrix) => BatchExplanation;

/** What a family's explainer is built from: model.json's parts, already validated. */
export interface ExplainerContext<S> {
  /** The family's stored state (checked against its state schema). */
  state: S;
  /** The model columns (preprocess.features), in matrix order. */
  features: readonly FeatureInfo[];
  /** Training means of the model columns (the background of linear explanations); absent in old files. */
  featureMeans: readonly number[] | undefined;
  /** A UserError saying the model lacks `what` that explanations need (written by an older churnkit). */
  lacks: (what: string) => Error;
}

/** How the model report and the docs present a family. */
export interface FamilyReportHints {
  /** Shown in the report and `init`'s comment, e.g. "Gradient-boosted trees". */
  displayName: string;
  /** One line for `init`'s comment and the docs. */
  description: string;
  /** Held-out rows the report explains for its SHAP summary (fewer where explanations are slow). Default 300. */
  explainRows?: number;
  /** Name of the explanation method in the report's caption, e.g. "TreeSHAP". Default "exact". */
  explanation?: string;
}

/**
 * A fitted model reduced to how its model columns make the score before calibration: what the exporters (ONNX,
 * SQL) translate and the importers (XGBoost, LightGBM) produce, so that no exporter reads a family's state itself.
 * - `linear`: raw = intercept + Σ coef[j] · x[j] (log-odds); probability = sigmoid(raw).
 * - `trees`: out = ensemble.base + Σ_t ensemble.scale[t] · tree_t(x). With `space: "raw"` (gbdt) out is the
 *   log-odds; with `space: "probability"` (tree, forest) it is the probability, clipped to [1e-15, 1 − 1e-15]
 *   before any log-odds are taken, as the models' predictRaw does.
 */
export type ScoreForm = LinearScoreForm | TreesScoreForm;

/** A linear model: raw = intercept + Σ coef[j] · x[j] (log-odds); probability = sigmoid(raw). */
export interface LinearScoreForm {
  /** Always "linear". */
  kind: "linear";
  /** One coefficient per model column, in matrix order. */
  coef: readonly number[];
  /** The constant term, in log-odds. */
  intercept: number;
}

/** A tree ensemble: out = ensemble.base + Σ_t ensemble.scale[t] · tree_t(x). */
export interface TreesScoreForm {
  /** Always "trees". */
  kind: "trees";
  /** The trees, their weights and the constant. */
  ensemble: TreeEnsemble;
  /** `raw`: out is the log-odds (gbdt). `probability`: out is the probability (tree, forest). */
  space: OutputSpace;
}

/**
 * Everything churnkit needs to know about one model family. `P` is the checked hyperparameters,
 * `S` the learned state as stored in model.json.
 */
export interface FamilySpec<P extends Record<string, unknown> = Record<string, unknown>, S = unknown> {
  /** Name in configs, the CLI and model.json (`model.family`). */
  name: string;
  /** Hyperparameter schema with defaults and ranges. */
  params: z.ZodType<P, Record<string, unknown>>;
  /** Build an unfitted estimator from checked hyperparameters. */
  create(params: P): Estimator<P, S>;
  /**
   * Schema of the stored state (model.json `model.state`); with `ctx`, also checked against the
   * model columns the preprocessing makes. Without `ctx` it is the shape the published JSON Schema shows.
   */
  state(ctx?: StateContext): z.ZodType<S>;
  /**
   * Version of the state's shape, written to model.json as `model.state_version` (a file without one, as churnkit
   * 0.6.0 wrote, is version 1). Bump it when the shape changes, and keep reading the old one with `migrateState`.
   */
  stateVersion: number;
  /**
   * Bring a state stored at an older version `from` (below `stateVersion`) to the current shape, before `state`
   * checks it. In memory only: the user's file is never rewritten. Absent: older versions are read as they are.
   */
  migrateState?(state: unknown, from: number): unknown;
  /** Rebuild a fitted model from its stored state (checked against `state` first when loaded). */
  fromState(state: S): Classifier<S>;
  /** Input encoding the family wants from preprocessing. */
  needs: EncodingNeeds;
  /** Draw one random hyperparameter candidate for `auto` (defaults fill the rest). */
  sample?(rng: Rng): Record<string, unknown>;
  /** The tasks the family fits (for survival, see `FitContext.duration`). Default ["classification"]. */
  tasks?: readonly Task[];
  /**
   * Hyperparameters the family starts from for a task other than classification, under the user's own
   * `model.params` (e.g. gbdt's survival fits: smaller trees, more of them, no early stopping). Default none.
   */
  taskParams?: Partial<Record<Task, Record<string, unknown>>>;
  /** Whether `auto` compares this family when `search.families` is not set. Default true. */
  autoDefault?: boolean;
  /**
   * Rank by simplicity and speed, lowest first (logreg 1, tree 2, gbdt 3, forest 4): among the candidates
   * `auto` finds within one standard error of the best cross-validated AUC, the lowest rank wins.
   * Absent: after every ranked family.
   */
  complexity?: number;
  /** Per-customer explanations; without it the report leaves out its SHAP sections and `explain` is exit 2. */
  explainer?(ctx: ExplainerContext<S>): Explainer;
  /** The trees whose split gains make gain importance (tree families); absent: no gain importance. */
  gainTrees?(state: S): readonly FlatTreeJSON[];
  /** Coefficients per model column on comparable scales (linear families); absent: none reported. */
  coefficients?(state: S): readonly number[];
  /** How the report and the docs present the family. */
  report: FamilyReportHints;
  /** The fitted state as a {@link ScoreForm}; absent: the family cannot be exported (`churnkit export` is exit 2). */
  scoreForm?(state: S): ScoreForm;
}

/**
 * A registered family, its types erased: the registry holds families of every type, and what it
 * hands out is checked at run time (hyperparameters by `params`, stored states by `state`).
 */
export type AnyFamilySpec = FamilySpec<Record<string, unknown>, unknown>;

const families = new Map<string, AnyFamilySpec>();

/**
 * Add a family (or replace one of the same name). Typed: `params`, `create`, `state` and `fromState`
 * must agree on the hyperparameter and state types, so no cast is needed.
 */
export function registerFamily<P extends Record<string, unknown>, S>(spec: FamilySpec<P, S>): void {
  if (!/^[a-z][a-z0-9_-]*$/.test(spec.name) || spec.name === "auto")
    throw new Error(`a family name is lowercase letters, digits, _ or - and not "auto": got "${spec.name}"`);
  families.set(spec.name, spec);
}

/** Remove a registered family (tests that register one of their own clean up with it). */
export function unregisterFamily(name: string): boolean {
  return families.delete(name);
}

/** The spec of a registered family; throws (a programming error) for an unknown name. */
export function family(name: string): AnyFamilySpec {
  const f = families.get(name);
  if (!f) throw new Error(`unknown model family "${name}"; known: ${knownFamilies().join(", ")}`);
  return f;
}

/** Whether `name` is a registered family. */
export const isFamily = (name: string): boolean => families.has(name);

/** Every registered family's name, in registration order. */
export const knownFamilies = (): string[] => [...families.keys()];

/** The tasks a family fits (its `tasks`, or classification alone). */
export const familyTasks = (f: AnyFamilySpec): readonly Task[] => f.tasks ?? ["classification"];

/** The families `auto` compares for `task` (default classification) when `search.families` is not set. */
export const autoFamilies = (task: Task = "classification"): string[] =>
  [...families.values()].filter((f) => f.autoDefault !== false && familyTasks(f).includes(task)).map((f) => f.name);

/** Check hyperparameters against the family's schema; errors name `model.params.KEY`. */
export function checkParams(name: string, params: Record<string, unknown>, where = "config"): Record<string, unknown> {
  const r = family(name).params.safeParse(params, { reportInput: true }); // the values given, for the error
  if (!r.success) throw zodToUserError(r.error, where, "model.params");
  return r.data;
}
