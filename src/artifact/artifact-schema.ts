/**
 * The schema of model.json (format {@link FORMAT_VERSION}), every field of {@link ModelArtifact}.
 * The family's state is checked by the family's own schema (registered in learners/families.ts) against the
 * model columns the stored preprocessing makes; see `validate.ts` for how problems are reported.
 *
 * Numbers that prediction uses must be finite. Informative numbers (metrics, reference
 * statistics) may be undefined, which JSON writes as null: they read back as NaN, as in memory.
 * Fields that old 1.x files may lack get defaults; unknown fields (a newer 1.x) are dropped.
 */
import { z } from "zod";
import { configSchema, economicsSchema, preprocessSchema } from "../config/schema.js";
import { dict } from "../utils/dict.js";
import { show } from "../utils/errors.js";

/** The `format` field of every model.json: tells a churnkit model file from any other JSON. */
export const FORMAT = "churnkit-model";
/**
 * Bump the major part when an older churnkit could not read the new files correctly, the minor part when fields
 * are added (1.1: reference histograms and the validation score distribution, for `churnkit drift`).
 */
export const FORMAT_VERSION = "1.1";
/**
 * What a survival model's model.json says (0.13; fields added: the `survival` section). Classification models still
 * write {@link FORMAT_VERSION}. An older churnkit refuses a survival file (its strict config schema rejects
 * `data.duration` and `survival`) rather than reading the log relative hazard as log-odds.
 */
export const SURVIVAL_FORMAT_VERSION = "1.2";

/** How a found value is named in messages: `null`, `the string "abc"`, `Infinity`, `a list`. */
export const describe = (v: unknown): string =>
  v === null
    ? "null"
    : typeof v === "string"
      ? `the string ${show(v)}`
      : typeof v === "number"
        ? String(v)
        : Array.isArray(v)
          ? "a list"
          : typeof v === "object"
            ? "an object"
            : String(v);

/**
 * Informative number: finite, or undefined (NaN in memory, null in JSON; null reads back as NaN).
 * Infinity and strings are refused.
 */
const info = z
  .union([z.number(), z.null(), z.nan()], {
    error: (iss) => `expected a finite number or null, got ${describe(iss.input)}`,
  })
  .transform((v) => v ?? NaN);

const columnType = z.enum(["numeric", "categorical", "boolean"]);
const name = z.string().min(1);

const featureInfo = z.object({
  name: z.string(),
  kind: z.enum(["numeric", "categorical"]),
  nCategories: z.int().min(0).optional(),
  source: z.string(),
});

const preprocess = z.object({
  needs: z.object({ impute: z.boolean(), oneHot: z.boolean(), standardize: z.boolean() }),
  options: preprocessSchema,
  numeric: z.array(
    z.object({
      column: name,
      type: z.enum(["numeric", "boolean"]),
      fill: z.number(),
      mean: z.number(),
      std: z.number().min(0),
    }),
  ),
  categorical: z.array(
    z.object({
      column: name,
      levels: z.array(z.string()),
      other: z.boolean(),
      fill: z.string().nullable(),
      missingLevel: z.boolean(),
      pooled: z.array(z.string()).optional(),
    }),
  ),
  inputs: z.array(z.object({ column: name, type: columnType })),
  features: z.array(featureInfo),
});

/** A probability strictly inside (0, 1), as thresholds are chosen and configured. */
const openProbability = z.number().gt(0).lt(1);

const threshold = z.object({
  value: openProbability,
  rule: z.enum(["fixed", "f1", "profit"]),
  expected_profit: z.number().optional(),
  economics: economicsSchema.optional(),
  f1: z.number().min(0).max(1).optional(),
});

const calibration = z.discriminatedUnion("method", [
  z.object({ method: z.literal("platt"), a: z.number(), b: z.number() }),
  z.object({
    method: z.literal("isotonic"),
    x: z.array(z.number()).min(1),
    y: z.array(z.number().min(0).max(1)).min(1),
  }),
]);

const metrics = z.looseObject({
  rows: z.int().min(0),
  positive_rate: info,
  auc: info,
  pr_auc: info,
  log_loss: info,
  brier: info,
  accuracy: info,
  precision: info,
  recall: info,
  f1: info,
  threshold: info,
  confusion: z.object({ tp: z.int().min(0), fp: z.int().min(0), tn: z.int().min(0), fn: z.int().min(0) }),
});

/** Stands for a "__proto__" key while zod parses a record (zod assigns keys, and that one would set the prototype). */
const PROTO_KEY = "\u0000__proto__\u0000";

/**
 * A record keyed by column names whose parsed form keeps every key as its own, "__proto__" included (an object
 * without prototype, see utils/dict.ts): z.record alone would drop that key's value into the prototype.
 */
const columnRecord = <T extends z.ZodType>(value: T) =>
  z
    .preprocess(
      (v) => {
        if (v === null || typeof v !== "object" || !Object.hasOwn(v, "__proto__")) return v;
        const o: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v))
          Object.defineProperty(o, k === "__proto__" ? PROTO_KEY : k, { value: x, enumerable: true, writable: true });
        return o;
      },
      z.record(z.string(), value),
    )
    .transform((r) => {
      const o = dict<z.output<T>>();
      for (const [k, x] of Object.entries(r)) o[k === PROTO_KEY ? "__proto__" : k] = x;
      return o;
    });

const count = z.int().min(0);

/** A decile histogram: one more count than edges, edges ascending. */
const numericHistogram = z
  .object({ edges: z.array(z.number()), counts: z.array(count), missing: count })
  .refine((h) => h.counts.length === h.edges.length + 1, "expected one more count than edges")
  .refine((h) => h.edges.every((e, i) => i === 0 || e > h.edges[i - 1]!), "expected ascending edges");

const levelHistogram = z
  .object({ levels: z.array(z.string()), counts: z.array(count), other: count, missing: count })
  .refine((h) => h.counts.length === h.levels.length, "expected one count per level");

const numericStats = z.object({
  type: z.enum(["numeric", "boolean"]),
  missing_share: info,
  mean: info,
  std: info,
  min: info,
  max: info,
  quantiles: z.record(z.string(), info),
  histogram: numericHistogram.optional(),
});

const columnStats = z.discriminatedUnion("type", [
  numericStats,
  z.object({
    type: z.literal("categorical"),
    missing_share: info,
    distinct: z.int().min(0),
    top: z.record(z.string(), info),
    histogram: levelHistogram.optional(),
  }),
]);

/** A survival model's C-index, time-dependent AUC and integrated Brier score on held-out rows (informative). */
const survivalMetrics = z.object({
  rows: z.int().min(0),
  events: z.int().min(0),
  c_index: info,
  td_auc: z.array(z.object({ horizon: z.number(), auc: info })),
  mean_auc: info,
  brier: z.array(z.object({ time: z.number(), brier: info })),
  integrated_brier: info,
});

/**
 * The survival task's part of model.json (format 1.2): the duration column, the horizons, the value column, and the
 * baseline cumulative hazard (Breslow's or Efron's estimator) that turns the model's log relative hazard into a survival curve.
 */
const survival = z
  .object({
    duration: name,
    horizons: z
      .array(z.number().gt(0))
      .min(1)
      .refine((h) => h.every((x, i) => i === 0 || x > h[i - 1]!), "expected ascending horizons"),
    value: name.nullable(),
    baseline: z
      .object({
        /** The estimator of the cumulative hazard; absent (written before churnkit recorded it): Breslow's. */
        estimator: z.enum(["breslow", "efron"]).default("breslow"),
        times: z.array(z.number().min(0)),
        cumulative_hazard: z.array(z.number().min(0)),
        max_time: z.number().min(0),
      })
      .refine((b) => b.times.length === b.cumulative_hazard.length, "expected one cumulative hazard per time")
      .refine((b) => b.times.every((t, i) => i === 0 || t > b.times[i - 1]!), "expected ascending times")
      .refine(
        (b) => b.cumulative_hazard.every((h, i) => i === 0 || h >= b.cumulative_hazard[i - 1]!),
        "expected a non-decreasing cumulative hazard",
      ),
    follow_up: z
      .object({ times: z.array(z.number().min(0)), events: z.array(count), censored: z.array(count) })
      .refine(
        (f) => f.events.length === f.times.length && f.censored.length === f.times.length,
        "expected one count of events and of censored rows per time",
      ),
    validation: survivalMetrics.nullable().default(null),
  })
  .strict();

/** `model.state_version`: a whole number from 1 (absent, as churnkit 0.6.0 wrote: 1). */
export const stateVersion = z.int().min(1);

/** The parts of model.json that scoring uses: checked whenever a model is built from an artifact. */
export const scoringShape = {
  /** Input columns the model needs at prediction time, with their types. */
  inputs: z.array(z.object({ name, type: columnType })),
  id_columns: z.array(z.string()).default([]),
  derived: z.array(z.object({ name, sql: z.string().min(1), type: columnType })).default([]),
  preprocess,
  /** Mean of each model column; null (NaN) where a column has missing values that are not imputed. */
  feature_means: z.array(info).optional(),
  /** The family's `state` is checked by the family's schema (learners/families.ts), not here. */
  model: z.object({
    family: z.string(),
    params: z.record(z.string(), z.unknown()),
    /** The shape's version of `state`; files written before it existed (churnkit 0.6.0) are version 1. */
    state_version: stateVersion.default(1),
    state: z.unknown(),
  }),
  threshold,
  calibration: calibration.nullable().optional(),
  /** Survival models only (format 1.2). */
  survival: survival.optional(),
};

/** Every field of model.json except those in {@link scoringShape}. */
export const documentShape = {
  format: z.literal(FORMAT),
  /** "MAJOR.MINOR". */
  format_version: z.string().regex(/^\d+\.\d+$/, 'expected "MAJOR.MINOR"'),
  churnkit_version: z.string(),
  created_at: z.string(),
  target: z.object({ column: name, positive: z.string(), negatives: z.array(z.string()) }),
  schema: z.object({
    columns: z.array(
      z.object({
        name: z.string(),
        type: columnType,
        role: z.enum(["feature", "identifier", "target", "ignored"]),
        nullable: z.boolean(),
        distinct: z.int().min(0),
        note: z.string().optional(),
      }),
    ),
  }),
  dropped: z.array(z.object({ column: z.string(), reason: z.string() })).default([]),
  validation_metrics: metrics.nullable().default(null),
  data_fingerprint: z.object({ rows: z.int().min(0), columns: z.int().min(0), sha256: z.string() }),
  config: configSchema,
  reference_stats: columnRecord(columnStats).default({}),
  /** Since 1.1. */
  reference_score: numericStats.optional(),
};

/** Scoring parts, as built by training (before any file is written). */
export const scoringSchema = z.object(scoringShape);
/** All of model.json, before the cross-field and family-state checks of `validate.ts`. */
export const artifactSchema = z.object({ ...documentShape, ...scoringShape });
