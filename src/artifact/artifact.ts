/**
 * The model artifact: a directory with model.json (everything needed to predict, plain JSON,
 * loading it runs no code), metrics.json, and later report.html. Written atomically.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../utils/errors.js";
import { writeDirAtomic } from "../utils/fs.js";
import { checkOutputDir } from "../utils/output.js";
import type { ModelArtifact } from "./artifact-type.js";
import { validateArtifact } from "./validate.js";

export { FORMAT, FORMAT_VERSION, SURVIVAL_FORMAT_VERSION } from "./artifact-schema.js";
export type { ModelArtifact } from "./artifact-type.js";

/**
 * Write a model directory atomically. Extra files (metrics.json, report.html) go alongside. Refused (UserError)
 * when `dir` exists and is not a churnkit model directory, or is a file: replacing it would destroy the user's files.
 */
export async function saveArtifact(
  dir: string,
  artifact: ModelArtifact,
  extra: Record<string, string> = {},
): Promise<void> {
  checkOutputDir(dir);
  await writeDirAtomic(dir, { "model.json": JSON.stringify(artifact, null, 1) + "\n", ...extra });
}

/** Read and check model.json from a model directory (or a path to model.json itself); see validate.ts. */
export function readArtifact(dirOrFile: string): ModelArtifact {
  let file = dirOrFile;
  if (existsSync(dirOrFile) && statSync(dirOrFile).isDirectory()) file = join(dirOrFile, "model.json");
  if (!existsSync(file))
    throw new UserError(`${file}: model not found; train one with \`churnkit train\` or \`churnkit run\``);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new UserError(
      `${file}: corrupt model file, not valid JSON (${e instanceof Error ? e.message.split("\n")[0] : String(e)}); retrain the model`,
    );
  }
  return validateArtifact(doc, file);
}
