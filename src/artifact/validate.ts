/**
 * Validation of model.json before anything uses it: the format version, the document schema
 * (artifact-schema.ts), the cross-field rules prediction relies on (preprocessing that makes
 * as many columns as the model reads, input types that agree), and the family's state against
 * its own schema. Any problem is one UserError line: the file, where in it, and the remedy.
 */
import type { z } from "zod";
import { show, UserError } from "../utils/errors.js";
import { artifactSchema, describe, FORMAT, FORMAT_VERSION, scoringSchema } from "./artifact-schema.js";
import type { ModelArtifact } from "./artifact-type.js";
import { family, isFamily, knownFamilies } from "../learners/families.js";
import { FLAT_TREE_FIELDS } from "../core/flat-tree.js";

type Issue = { path: PropertyKey[]; message: string };
type Scoring = z.output<typeof scoringSchema>;

const REMEDY = "retrain the model";
/** Artifacts that passed {@link validateArtifact}, so building a model from them checks nothing twice. */
const validated = new WeakSet<object>();

const EXPECTED: Record<string, string> = {
  number: "a finite number",
  int: "an integer",
  array: "a list",
  object: "an object",
};

/** One short message per zod issue, naming what was found (zod's defaults do not). */
function message(iss: z.core.$ZodRawIssue): string {
  switch (iss.code) {
    case "invalid_type":
      return iss.input === undefined
        ? "missing"
        : `expected ${EXPECTED[iss.expected] ?? iss.expected}, got ${describe(iss.input)}`;
    case "too_small":
      return iss.origin === "array"
        ? `expected at least ${String(iss.minimum)} entries`
        : `expected ${iss.inclusive ? ">=" : ">"} ${String(iss.minimum)}, got ${describe(iss.input)}`;
    case "too_big":
      return iss.origin === "array"
        ? `expected at most ${String(iss.maximum)} entries`
        : `expected ${iss.inclusive ? "<=" : "<"} ${String(iss.maximum)}, got ${describe(iss.input)}`;
    case "invalid_value":
      return `expected ${iss.values.map((v) => JSON.stringify(v)).join(" or ")}, got ${describe(iss.input)}`;
    case "invalid_union":
      return `not a valid value (${describe(iss.input)})`;
    default:
      return iss.message ?? `invalid (${describe(iss.input)})`;
  }
}

const TREE_FIELDS: ReadonlySet<string> = new Set(FLAT_TREE_FIELDS);

/** `trees.3.left.17` → `tree 3, node 17, left`; other paths as `a.b[2].c`. */
function renderStatePath(path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  let open = false; // may the next plain segment extend the last part?
  for (let k = 0; k < path.length; k++) {
    const seg = path[k]!;
    const next = path[k + 1];
    if (seg === "trees" && typeof next === "number") {
      parts.push(`tree ${next}`);
      k++;
      open = false;
    } else if (seg === "tree" && k === 0) {
      parts.push("tree");
      open = false;
    } else if (typeof seg === "string" && TREE_FIELDS.has(seg) && typeof next === "number") {
      parts.push(`node ${next}, ${seg}`);
      k++;
      open = true;
    } else if (typeof seg === "number" && parts.length > 0) {
      parts[parts.length - 1] += `[${seg}]`;
    } else if (open && parts.length > 0) {
      parts[parts.length - 1] += `.${String(seg)}`;
    } else {
      parts.push(String(seg));
      open = true;
    }
  }
  return parts.join(", ");
}

const renderPath = (path: readonly PropertyKey[]): string =>
  path.map((s, i) => (typeof s === "number" ? `[${s}]` : `${i ? "." : ""}${String(s)}`)).join("");

/** The one-line error for the first problem found. */
function problem(where: string, issue: Issue): UserError {
  const { path, message: msg } = issue;
  if (path[0] === "model" && path[1] === "state") {
    const at = renderStatePath(path.slice(2));
    return new UserError(`${where}: corrupt model state (${at ? `${at}: ` : ""}${msg}); ${REMEDY}`);
  }
  if (msg === "missing")
    return new UserError(`${where}: corrupt model file, "${renderPath(path)}" is missing; ${REMEDY}`);
  return new UserError(`${where}: corrupt model file (${path.length ? `${renderPath(path)}: ` : ""}${msg}); ${REMEDY}`);
}

const first = (err: z.ZodError, prefix: PropertyKey[] = []): Issue => {
  const iss = err.issues[0]!;
  return { path: [...prefix, ...iss.path], message: iss.message };
};

/** Preprocessing that turns the typed inputs into exactly the model columns it declares. */
function preprocessIssue(a: Scoring): Issue | null {
  const p = a.preprocess;
  const typed = new Map<string, string>([
    ...a.inputs.map((c) => [c.name, c.type] as const),
    ...a.derived.map((d) => [d.name, d.type] as const),
  ]);
  const num = new Map(p.numeric.map((s) => [s.column, s]));
  // A finite but extreme mean or spread (the schema refuses non-finite ones) is not refused here: churnkit itself
  // trains such models on values near 1e308. Scores they turn into NaN are refused where they are computed.
  const cat = new Map(p.categorical.map((s) => [s.column, s]));
  let width = 0;
  for (const [k, { column, type }] of p.inputs.entries()) {
    const at = ["preprocess", "inputs", k];
    const given = typed.get(column);
    if (given === undefined)
      return { path: at, message: `column "${column}" is neither an input column nor a derived feature` };
    if (given !== type) return { path: at, message: `column "${column}" is ${type} here but ${given} in the inputs` };
    if (type === "categorical") {
      const s = cat.get(column);
      if (!s) return { path: at, message: `categorical column "${column}" has no entry in preprocess.categorical` };
      const codes = s.levels.length + (s.other ? 1 : 0);
      if (p.needs.oneHot) {
        width += codes + (s.missingLevel ? 1 : 0);
        continue;
      }
      const f = p.features[width];
      if (f && (f.kind !== "categorical" || f.nCategories !== codes)) {
        return {
          path: ["preprocess", "features", width],
          message: `expected a categorical column with ${codes} categories for "${column}"`,
        };
      }
    } else if (num.get(column)?.type !== type) {
      return { path: at, message: `${type} column "${column}" has no entry of that type in preprocess.numeric` };
    } else if (p.features[width]?.kind === "categorical") {
      return { path: ["preprocess", "features", width], message: `expected a numeric column for "${column}"` };
    }
    width++;
  }
  if (width !== p.features.length)
    return {
      path: ["preprocess", "features"],
      message: `has ${p.features.length} entries, but the inputs make ${width} model columns`,
    };
  if (a.feature_means && a.feature_means.length !== width)
    return {
      path: ["feature_means"],
      message: `has ${a.feature_means.length} entries, but there are ${width} model columns`,
    };
  const cal = a.calibration;
  if (cal?.method === "isotonic") {
    if (cal.x.length !== cal.y.length)
      return { path: ["calibration", "y"], message: `has ${cal.y.length} entries, "x" has ${cal.x.length}` };
    const k = cal.x.findIndex((v, i) => i > 0 && v < cal.x[i - 1]!);
    if (k > 0) return { path: ["calibration", "x", k], message: "must not decrease" };
  }
  return null;
}

/** Family, hyperparameters and state, the state against the model columns. */
function modelIssue(a: Scoring, opts: { error: typeof message }): Issue | null {
  const name = a.model.family;
  if (!knownFamilies().includes(name))
    return {
      path: ["model", "family"],
      message: `unknown family ${show(name)} (known: ${knownFamilies().join(", ")})`,
    };
  const spec = family(name);
  const params = spec.params.safeParse(a.model.params, opts);
  if (!params.success) return first(params.error, ["model", "params"]);
  const state = spec.state({ features: a.preprocess.features }).safeParse(a.model.state, opts);
  if (!state.success) return first(state.error, ["model", "state"]);
  return null;
}

/**
 * `a` with its family's state at the version this churnkit reads. A newer `model.state_version` is refused (upgrade
 * churnkit: that state's shape is unknown here); an older one (1 for files without it, as churnkit 0.6.0 wrote) is
 * brought up to date by the family's `migrateState`, in memory: the file is never rewritten. An unknown family is
 * left to {@link modelIssue}.
 */
function atCurrentVersion<A extends Scoring>(a: A, where: string): A {
  const { family: name, state_version: version } = a.model;
  if (!isFamily(name)) return a;
  const spec = family(name);
  if (version > spec.stateVersion)
    throw new UserError(
      `${where}: the ${name} model state is version ${version} (model.state_version), newer than this churnkit reads (up to ${spec.stateVersion}); upgrade churnkit`,
    );
  if (version === spec.stateVersion) return a;
  let state = a.model.state;
  try {
    if (spec.migrateState) state = spec.migrateState(state, version);
  } catch (e) {
    throw new UserError(
      `${where}: corrupt model state (version ${version} of ${name}: ${e instanceof Error ? e.message : String(e)}); ${REMEDY}`,
    );
  }
  return { ...a, model: { ...a.model, state, state_version: spec.stateVersion } };
}

function check(a: Scoring, where: string): void {
  const issue = preprocessIssue(a) ?? modelIssue(a, { error: message });
  if (issue) throw problem(where, issue);
}

/**
 * Check a parsed model.json in full; returns it with defaults for fields old 1.x files lack.
 * `where` names the file in errors. Throws a one-line UserError (exit 2) on any problem.
 */
export function validateArtifact(doc: unknown, where: string): ModelArtifact {
  if (doc === null || typeof doc !== "object" || (doc as { format?: unknown }).format !== FORMAT) {
    throw new UserError(`${where}: not a churnkit model (no "format": "${FORMAT}"); ${REMEDY}`);
  }
  const { format_version: version, churnkit_version: by } = doc as {
    format_version?: unknown;
    churnkit_version?: unknown;
  };
  // A newer major version may differ in any way: say "upgrade", not "corrupt". Malformed versions are the schema's.
  const major = typeof version === "string" && /^\d+\.\d+$/.test(version) ? Number(version.split(".")[0]) : 0;
  const ours = Number(FORMAT_VERSION.split(".")[0]);
  if (major > ours) {
    throw new UserError(
      `${where}: model format ${String(version)} was written by churnkit ${typeof by === "string" ? by : "?"}, newer than this churnkit (reads format ${ours}.x); upgrade churnkit`,
    );
  }
  const r = artifactSchema.safeParse(doc, { error: message });
  if (!r.success) throw problem(where, first(r.error));
  const current = atCurrentVersion(r.data, where);
  check(current, where);
  const a = current as ModelArtifact;
  validated.add(a);
  return a;
}

/**
 * Check the parts of an artifact that scoring uses (an artifact built in memory by training, or
 * handed to `ChurnModel.fromArtifact`); artifacts from {@link validateArtifact} pass at once. Returns
 * the artifact to score with: `a` itself, or a copy whose state an older version was migrated from.
 */
export function validateScoring(a: ModelArtifact, where: string): ModelArtifact {
  if (validated.has(a)) return a;
  const r = scoringSchema.safeParse(a, { error: message });
  if (!r.success) throw problem(where, first(r.error));
  const current = atCurrentVersion(r.data, where);
  check(current, where);
  return current === r.data ? a : { ...a, model: current.model };
}
