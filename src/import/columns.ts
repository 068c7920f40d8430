/**
 * The input columns of an imported model: one per feature of the foreign model, named as the model names it.
 * With a data file (`--data`), each column's type comes from churnkit's schema inference on that file, category
 * vocabularies from its values, and reference statistics (drift, the serving page's hints) from its rows. Without
 * one, types come from the model (XGBoost feature_types; LightGBM feature_infos), categories are the model's own
 * labels (LightGBM's pandas_categorical) or its integer codes written as text, and there are no statistics.
 *
 * Category codes. A foreign model splits on integer codes; churnkit's code i is `levels[i]`. The codes are mapped
 * as the usual encoders make them: the model's own labels when it has them; labels that are all whole numbers
 * are their own codes ("3" is code 3, as numpy codes reach XGBoost); other labels are coded in sorted order,
 * as pandas codes a category column (so `--data` should be the training table, with every category).
 */
import { guessTarget, inferSchemaFrom, type ColumnSchema, type ColumnType, type Schema } from "../data/schema.js";
import type { TrainingSource } from "../data/source.js";
import { meanStd, referenceStats, type ColumnStats } from "../data/stats.js";
import { resolveTarget, type TargetInfo } from "../data/target.js";
import type { ColumnSpec, TypedTable } from "../data/typed.js";
import type { Fingerprint } from "../data/fingerprint.js";
import { show, UserError } from "../utils/errors.js";
import type { Logger } from "../utils/logging.js";
import type { ForeignFeature, ForeignModel } from "./foreign.js";

/** What the import learned about the input columns (see the module comment). */
export interface ColumnPlan {
  /** One input column per model feature, in the model's feature order. */
  inputs: ColumnSpec[];
  /** Per feature: its category levels (code i is levels[i]) for categorical features, else null. */
  levels: (string[] | null)[];
  /** Every column of the data file with its role (model features, target, identifiers, the rest ignored). */
  schema: Schema;
  /** The target column and its positive label. */
  target: TargetInfo;
  /** Identifier columns of the data file (copied into predictions). */
  idColumns: string[];
  /** Statistics of each input column on the data rows; empty without data. */
  referenceStats: Record<string, ColumnStats>;
  /** Mean and standard deviation of each numeric input on the data rows (0 without data). */
  moments: { mean: number; std: number }[];
  /** The data rows typed as the inputs, for the reference score distribution; null without data. */
  typed: TypedTable | null;
  /** The data file's fingerprint; null without data. */
  fingerprint: Fingerprint | null;
}

/** Options of {@link planColumns}. */
export interface PlanOptions {
  /** Target column named by the user (`--target`). */
  target?: string;
  /** Its positive label (`--positive`). */
  positive?: string;
  /** The model file, for messages. */
  file: string;
  /** Where the import says what it assumed. */
  log: Logger;
}

/** Compare by Unicode code points (Python's string order, which pandas sorts categories by). */
export function byCodePoint(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

const WHOLE = /^(0|[1-9]\d*)$/;
const codeLevels = (n: number): string[] => Array.from({ length: n }, (_, c) => String(c));
const inputType = (f: ForeignFeature): ColumnType =>
  f.kind === "categorical" ? "categorical" : f.kind === "indicator" ? "boolean" : "numeric";

/** Columns from the model alone (no --data). */
export function planFromModel(m: ForeignModel, o: PlanOptions): ColumnPlan {
  const levels = m.features.map((f) => (f.kind === "categorical" ? (f.labels ?? codeLevels(f.codes)) : null));
  m.features.forEach((f) => {
    if (f.kind === "categorical" && !f.labels)
      o.log.info(
        `column "${f.name}": the model has no category labels; its values are read as the codes 0..${f.codes - 1} (give --data to learn the labels)`,
      );
  });
  o.log.warn(
    "no --data: input types come from the model, and there are no reference statistics (churnkit drift needs them); give --data FILE (the training table) to learn them",
  );
  const positive = o.positive ?? "1";
  return {
    inputs: m.features.map((f) => ({ name: f.name, type: inputType(f) })),
    levels,
    schema: {
      columns: m.features.map((f, j) => ({
        name: f.name,
        type: inputType(f),
        role: "feature",
        nullable: true,
        distinct: levels[j]?.length ?? 0,
        note: `feature ${j} of the imported ${m.from} model`,
      })),
    },
    target: { column: o.target ?? "churn", positive, negatives: o.positive === undefined ? ["0"] : [] },
    idColumns: [],
    referenceStats: {},
    moments: m.features.map(() => ({ mean: 0, std: 0 })),
    typed: null,
    fingerprint: null,
  };
}

/** Columns from the model and a data file (`--data`), read by churnkit's own loading and schema inference. */
export async function planFromData(m: ForeignModel, source: TrainingSource, o: PlanOptions): Promise<ColumnPlan> {
  const names = m.features.map((f) => f.name);
  const missing = names.filter((n) => !source.columns.includes(n));
  if (missing.length)
    throw new UserError(
      `${source.origin}: no column ${missing
        .slice(0, 5)
        .map((n) => show(n))
        .join(
          ", ",
        )}${missing.length > 5 ? ` (and ${missing.length - 5} more)` : ""}, a feature of the ${m.from} model ${o.file}; give the table the model was trained on, or rename its columns to the model's feature names`,
    );
  const features = new Set(names);
  if (o.target !== undefined && features.has(o.target))
    throw new UserError(
      `--target ${o.target}: it is a feature of the ${m.from} model ${o.file}; name the target column`,
    );
  const inferred = inferSchemaFrom(source, { target: o.target, log: o.log, oddNumbers: "warn" });
  const targetName =
    o.target ?? guessTarget({ columns: inferred.columns.filter((c) => !features.has(c.name)) }) ?? undefined;
  const columns: ColumnSchema[] = inferred.columns.map((c): ColumnSchema => {
    if (features.has(c.name)) return { ...c, role: "feature", ...(c.note ? { note: undefined } : {}) };
    if (c.name === targetName) return { ...c, role: "target" };
    if (c.role === "identifier") return c;
    return { ...c, role: "ignored", note: `not a feature of the imported ${m.from} model` };
  });
  const byName = new Map(columns.map((c) => [c.name, c]));
  const specs: ColumnSpec[] = m.features.map((f) => {
    const c = byName.get(f.name)!;
    if (f.kind !== "categorical" && c.type === "categorical")
      throw new UserError(
        `${source.origin}: column ${show(f.name)} holds text, but the ${m.from} model splits it as a number; fix the column or give the table the model was trained on`,
      );
    return { name: f.name, type: f.kind === "categorical" ? "categorical" : c.type };
  });
  for (const s of specs) byName.get(s.name)!.type = s.type;
  const typed = await source.typed(specs);
  const levels = m.features.map((f) => (f.kind === "categorical" ? levelsOf(f, typed, source.origin, m.from) : null));
  levels.forEach((l, j) => {
    const f = m.features[j]!;
    if (l && !f.labels)
      o.log.info(
        `column "${f.name}": ${l.length} categories, ${WHOLE.test(l[0] ?? "") && l.every((x, c) => x === String(c)) ? "whole-number labels read as their own codes" : "coded in sorted order (as pandas codes categories)"}`,
      );
  });
  let target: TargetInfo;
  if (targetName !== undefined) {
    target = resolveTarget(await source.labels(targetName), targetName, o.positive, "--positive");
    o.log.info(`target column "${target.column}", churn = ${show(target.positive)}`);
  } else {
    target = { column: "churn", positive: o.positive ?? "1", negatives: o.positive === undefined ? ["0"] : [] };
    o.log.warn(`${source.origin}: no target column found; evaluate needs one: import again with --target COL`);
  }
  const moments = specs.map((s) => {
    const v = typed.columns.get(s.name)!.values;
    if (!(v instanceof Float64Array)) return { mean: 0, std: 0 };
    const { mean, std } = meanStd(v.filter((x) => !Number.isNaN(x)));
    return { mean: Number.isFinite(mean) ? mean : 0, std: Number.isFinite(std) ? std : 0 };
  });
  return {
    inputs: specs,
    levels,
    schema: { columns },
    target,
    idColumns: columns.filter((c) => c.role === "identifier").map((c) => c.name),
    referenceStats: referenceStats(typed, names),
    moments,
    typed,
    fingerprint: await source.fingerprint(),
  };
}

/** The levels of a categorical feature from the data's labels (see the module comment). */
function levelsOf(f: ForeignFeature, typed: TypedTable, origin: string, from: string): string[] {
  if (f.labels) return f.labels;
  const seen = new Set<string>();
  for (const v of typed.columns.get(f.name)!.values as (string | null)[]) if (v !== null) seen.add(v);
  const labels = [...seen];
  if (labels.every((l) => WHOLE.test(l))) {
    let top = f.codes;
    for (const l of labels) top = Math.max(top, Number(l) + 1);
    if (top > 100_000)
      throw new UserError(
        `${origin}: column ${show(f.name)} has category code ${top - 1}; codes above 99,999 are not supported`,
      );
    return codeLevels(top);
  }
  labels.sort(byCodePoint);
  if (f.codes > labels.length)
    throw new UserError(
      `${origin}: column ${show(f.name)} has ${labels.length} distinct categories, but the ${from} model splits on category code ${f.codes - 1}; give the training table (every category), so that sorted labels give the model's codes`,
    );
  return labels;
}
