/**
 * Reading a config file (YAML or JSON), merging CLI overrides, and checking the result.
 * Precedence: defaults < config file < command-line flags.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import YAML from "yaml";
import { autoFamilies, checkParams } from "../learners/registry.js";
import { UserError } from "../utils/errors.js";
import { zodToUserError } from "../utils/zod-errors.js";
import { configSchema, type Config } from "./schema.js";

/** A plain object of config keys (before validation). */
export type Plain = Record<string, unknown>;

const isPlain = (v: unknown): v is Plain => v !== null && typeof v === "object" && !Array.isArray(v);

/** Deep merge: objects merge key by key, anything else in `over` replaces `base`. Undefined is skipped. */
export function merge(base: Plain, over: Plain): Plain {
  const out: Plain = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    out[k] = isPlain(v) && isPlain(out[k]) ? merge(out[k], v) : v;
  }
  return out;
}

/** Parse a config file into a plain object (not yet validated). */
export function readConfigFile(path: string): Plain {
  if (!existsSync(path))
    throw new UserError(`${path}: config file not found; create one with \`churnkit init --data FILE --out ${path}\``);
  const text = readFileSync(path, "utf8");
  let doc: unknown;
  try {
    doc = path.toLowerCase().endsWith(".json") ? JSON.parse(text) : YAML.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message.split("\n")[0] : String(e);
    throw new UserError(`${path}: not valid ${path.toLowerCase().endsWith(".json") ? "JSON" : "YAML"}: ${msg}`);
  }
  if (doc === null || doc === undefined) return {};
  if (!isPlain(doc))
    throw new UserError(`${path}: the top level must be a mapping of keys (seed, data, split, model, ...)`);
  // Relative data paths are relative to the config file, as users expect.
  const data = doc.data;
  if (isPlain(data) && typeof data.path === "string" && !isAbsolute(data.path)) {
    doc = { ...doc, data: { ...data, path: resolve(dirname(path), data.path) } };
  }
  return doc as Plain;
}

/**
 * Validate a plain object as a config. `where` names the source in error messages. Family names
 * are checked against the family registry as it is now (the built-in families register when
 * `churnkit`, or `learners/families.js`, is imported; a family added with `registerFamily` counts).
 */
export function parseConfig(obj: unknown, where = "config"): Config {
  const r = configSchema.safeParse(obj, { reportInput: true }); // the values given, for the error
  if (!r.success) throw zodToUserError(r.error, where);
  // Check the family's hyperparameters now, so that the error names the config file, before any data is read.
  const f = r.data.model.family;
  if (f !== "auto") checkParams(f, r.data.model.params, where);
  // The survival task's `auto` compares the families that fit it, unless search.families names them.
  const given = isPlain(obj) && isPlain(obj.search) ? obj.search.families : undefined;
  const survival = r.data.data.duration && given === undefined ? autoFamilies("survival") : [];
  if (survival.length > 0) return { ...r.data, search: { ...r.data.search, families: survival } };
  return r.data;
}

/** Load a config file (optional) and apply overrides. */
export function resolveConfig(file: string | undefined, overrides: Plain = {}): Config {
  const fromFile = file ? readConfigFile(file) : {};
  return parseConfig(merge(fromFile, overrides), file ?? "command line");
}
