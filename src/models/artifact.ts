/**
 * The model artifact: a directory with model.json (everything needed to predict, plain JSON,
 * loading it runs no code), metrics.json, and later report.html. Written atomically.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config/schema.js";
import type { PreprocessState } from "../data/preprocess.js";
import type { Schema } from "../data/schema.js";
import type { ColumnStats } from "../data/stats.js";
import type { TargetInfo } from "../data/target.js";
import type { ColumnSpec } from "../data/typed.js";
import type { DerivedFeature } from "../features/derived.js";
import type { DroppedFeature } from "../features/select.js";
import { UserError } from "../utils/errors.js";
import { writeDirAtomic } from "../utils/fs.js";
import { checkOutputDir } from "../utils/output.js";
import type { CalibrationState } from "./calibration.js";
import type { ChosenThreshold } from "./evaluation/threshold.js";
import type { Metrics } from "./metrics.js";

export const FORMAT = "churnkit-model";
/** Bump the major part when an older churnkit could not read the new files correctly. */
export const FORMAT_VERSION = "1.0";

/** Everything in model.json. */
export interface ModelArtifact {
  format: typeof FORMAT;
  /** "MAJOR.MINOR"; a newer major version is refused at load time. */
  format_version: string;
  churnkit_version: string;
  /** ISO time of writing; the only field that differs between two seeded runs. */
  created_at: string;
  target: TargetInfo;
  /** Every column of the training file, with its type and role. */
  schema: Schema;
  /** Input columns the model needs at prediction time, with their types. */
  inputs: ColumnSpec[];
  /** Identifier columns copied into predictions when present. */
  id_columns: string[];
  /** Derived features (SQL), evaluated after typing the inputs. */
  derived: DerivedFeature[];
  /** Candidate features left out by selection, with reasons. */
  dropped: DroppedFeature[];
  preprocess: PreprocessState;
  /** Mean of each model column on the training rows (the background of linear explanations). */
  feature_means?: number[];
  model: { family: string; params: Record<string, unknown>; state: unknown };
  threshold: ChosenThreshold;
  /** Probability calibration fitted on the validation split, or null. */
  calibration?: CalibrationState | null;
  validation_metrics: Metrics | null;
  data_fingerprint: { rows: number; columns: number; sha256: string };
  config: Config;
  reference_stats: Record<string, ColumnStats>;
}

/**
 * Write a model directory atomically. Extra files (metrics.json, report.html) go alongside. Refused (UserError)
 * when `dir` exists and is not a churnkit model directory, or is a file: replacing it would destroy the user's files.
 */
export async function saveArtifact(dir: string, artifact: ModelArtifact, extra: Record<string, string> = {}): Promise<void> {
  checkOutputDir(dir);
  await writeDirAtomic(dir, { "model.json": JSON.stringify(artifact, null, 1) + "\n", ...extra });
}

const REQUIRED: (keyof ModelArtifact)[] = ["target", "schema", "inputs", "preprocess", "model", "threshold"];

/** Read and check model.json from a model directory (or a path to model.json itself). */
export function readArtifact(dirOrFile: string): ModelArtifact {
  let file = dirOrFile;
  if (existsSync(dirOrFile) && statSync(dirOrFile).isDirectory()) file = join(dirOrFile, "model.json");
  if (!existsSync(file)) throw new UserError(`${file}: model not found; train one with \`churnkit train\` or \`churnkit run\``);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new UserError(`${file}: corrupt model file, not valid JSON (${e instanceof Error ? e.message.split("\n")[0] : String(e)}); retrain the model`);
  }
  if (doc === null || typeof doc !== "object" || (doc as { format?: unknown }).format !== FORMAT) {
    throw new UserError(`${file}: not a churnkit model (no "format": "${FORMAT}"); retrain the model`);
  }
  const a = doc as ModelArtifact;
  const [major] = String(a.format_version ?? "").split(".").map(Number);
  const [ours] = FORMAT_VERSION.split(".").map(Number);
  if (major === undefined || !Number.isInteger(major)) throw new UserError(`${file}: corrupt model file, "format_version" is missing; retrain the model`);
  if (major > ours!) {
    throw new UserError(`${file}: model format ${a.format_version} was written by churnkit ${a.churnkit_version ?? "?"}, newer than this churnkit (reads format ${ours}.x); upgrade churnkit`);
  }
  for (const k of REQUIRED) if (a[k] === undefined || a[k] === null) throw new UserError(`${file}: corrupt model file, "${k}" is missing; retrain the model`);
  return a;
}
