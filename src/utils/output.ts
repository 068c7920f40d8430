/**
 * Checks on an output path (`--out`, a config's `out`) before anything is written, so that churnkit never
 * overwrites or deletes a file it was not asked to write: not an input, not a special file, not a directory
 * that is not a churnkit model directory. Every failure is a {@link UserError} naming the path and the cause.
 */
import {
  accessSync,
  closeSync,
  constants,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  readSync,
  realpathSync,
  statSync,
} from "node:fs";
import type { Stats } from "node:fs";
import { basename, dirname, join, resolve, sep } from "node:path";
import { UserError } from "./errors.js";

/** The `format` of a model.json (the same value as `FORMAT` in artifact/artifact-schema.ts). */
export const MODEL_FORMAT = "churnkit-model";
/** The files churnkit writes into a model directory; replacing one that holds anything else would delete it. */
export const MODEL_FILES: readonly string[] = ["model.json", "metrics.json", "report.html"];

/** A file the command reads, with the flag or key that named it (for messages). */
export interface InputPath {
  /** How the user named it: `--data`, `--config`, `data.path in churn.yaml`. */
  flag: string;
  /** Path (a glob or an unset input is skipped). */
  path: string | undefined;
}

/** Options of {@link checkOutputDir} and {@link checkOutputFile}. */
export interface OutputOptions {
  /** How the user named the output, for messages: `--out` (default), `out in churn.yaml`. */
  flag?: string;
  /** Files the command reads; the output may be none of them. */
  inputs?: InputPath[];
}

/** Words for the errno codes an output write can meet, and what to do about each. */
const CAUSES: Record<string, [string, string]> = {
  EACCES: ["permission denied", "choose a folder you can write to"],
  EPERM: ["operation not permitted", "choose a folder you can write to"],
  EROFS: ["read-only file system", "choose a folder on a writable disk"],
  ENOSPC: ["no space left on the device", "free some space or choose another disk"],
  EDQUOT: ["disk quota exceeded", "free some space or choose another disk"],
  ENOTDIR: ["a part of the path is a file, not a folder", "choose another output path"],
  EISDIR: ["it is a directory", "name a file instead"],
  EEXIST: ["something already exists there", "choose another output path"],
  ENOTEMPTY: ["the directory is not empty", "choose a new or empty directory"],
  ENOENT: ["a folder on the path does not exist", "check the path"],
  ENAMETOOLONG: ["the name is too long", "choose a shorter path"],
  ELOOP: ["too many symbolic links on the path", "check the path"],
  EBUSY: ["the file is busy", "close what holds it or choose another output path"],
  ETXTBSY: ["the file is busy", "close what holds it or choose another output path"],
  EMFILE: ["too many open files", "raise the open-file limit (ulimit -n)"],
  EIO: ["input/output error from the disk", "check the disk or choose another one"],
  EXDEV: ["the temporary file and the output are on different disks", "choose another output path"],
};

/** A Node file-system error (it has an errno code such as "EACCES"). */
export const isErrnoError = (e: unknown): e is NodeJS.ErrnoException =>
  e instanceof Error &&
  typeof (e as NodeJS.ErrnoException).code === "string" &&
  /^E[A-Z]+$/.test((e as NodeJS.ErrnoException).code!);

/** `permission denied (EACCES); choose a folder you can write to` for a file-system error. */
export function fsCause(e: NodeJS.ErrnoException): string {
  const code = e.code ?? "";
  const known = CAUSES[code];
  if (known) return `${known[0]} (${code}); ${known[1]}`;
  return `${(e.message.split("\n")[0] ?? code).replace(/^E[A-Z]+: /, "")}; choose another output path`;
}

/**
 * Turn a file-system error met while writing `path` into a one-line {@link UserError}
 * (`--out x: cannot write it: permission denied (EACCES); ...`); anything else is returned unchanged.
 */
export function outputError(e: unknown, path: string, flag?: string): unknown {
  if (!isErrnoError(e)) return e;
  // Our own temporary sibling (`.NAME.tmp-…`) is no name the user knows: the output is named instead.
  const ours = e.path !== undefined && basename(e.path).startsWith(`.${basename(path)}.tmp-`);
  const where = e.path && !ours && resolve(e.path) !== resolve(path) ? ` (${e.path})` : "";
  return new UserError(`${label(path, flag)}: cannot write it${where}: ${fsCause(e)}`);
}

const label = (path: string, flag?: string) => (flag ? `${flag} ${path}` : path);

const lstatOrNull = (p: string): Stats | null => {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
};

/** The real path of `p`, also when it does not exist yet (the real path of its nearest existing ancestor, plus the rest). */
export function realPathOf(p: string): string {
  let cur = resolve(p);
  const rest: string[] = [];
  for (;;) {
    try {
      // eslint-disable-next-line no-restricted-syntax -- the components of one path
      return join(realpathSync(cur), ...rest.reverse());
    } catch {
      const parent = dirname(cur);
      if (parent === cur) return resolve(p);
      rest.push(basename(cur));
      cur = parent;
    }
  }
}

/** Options of {@link refuseSymlink}. */
export interface SymlinkOptions {
  /** How the user named the output (`--out`), for the message. */
  flag?: string;
  /** The output is a directory (the message says "name the directory itself"). */
  dir?: boolean;
  /** Another way out, added to the message (e.g. "omit --out to write to standard output"). */
  hint?: string;
}

/**
 * Refuse an output that is itself a symbolic link (a symlinked parent folder is fine). The atomic rename would
 * replace the link, not write its target (`--out /dev/stdout` replaced the system's link with a file), and two
 * names of one output would take two locks. Called by the checks, and again right before the final rename.
 */
export function refuseSymlink(out: string, o: SymlinkOptions = {}): void {
  // `link/` resolves through the link; the name without the trailing slash is the link itself.
  const name = out.replace(/\/+$/, "") || out;
  if (!lstatOrNull(name)?.isSymbolicLink()) return;
  let to = "";
  try {
    to = ` (to ${readlinkSync(name)})`;
  } catch {
    /* gone meanwhile: still refused */
  }
  const itself = `name the ${o.dir ? "directory" : "file"} itself`;
  throw new UserError(`${label(out, o.flag)}: is a symbolic link${to}; ${itself}${o.hint ? `, or ${o.hint}` : ""}`);
}

/** Which kind of special file `st` is, or undefined for a regular file or directory. */
function specialKind(st: Stats): string | undefined {
  if (st.isFIFO()) return "a named pipe (FIFO)";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  if (st.isSocket()) return "a socket";
  if (!st.isFile() && !st.isDirectory()) return "a special file";
  return undefined;
}

/** Refuse an output that is one of the inputs (or, for a directory output, holds one). */
function checkInputs(out: string, o: OutputOptions, dirOutput: boolean): void {
  const real = realPathOf(out);
  for (const input of o.inputs ?? []) {
    if (!input.path || lstatOrNull(input.path) === null) continue;
    const rin = realPathOf(input.path);
    const what = `the input ${statSync(rin, { throwIfNoEntry: false })?.isDirectory() ? "directory" : "file"} (${input.flag})`;
    if (rin === real) throw new UserError(`${label(out, o.flag)}: is ${what}; choose another output path`);
    if (dirOutput && rin.startsWith(real + sep))
      throw new UserError(`${label(out, o.flag)}: holds ${what} ${input.path}; choose another output directory`);
  }
}

/** The output does not exist yet: its nearest existing ancestor must be a folder we can write into. */
function checkCreatable(out: string, o: OutputOptions): void {
  let cur = dirname(resolve(out));
  for (;;) {
    const st = lstatOrNull(cur);
    if (st) {
      let isDir = st.isDirectory();
      if (st.isSymbolicLink()) isDir = statSync(cur, { throwIfNoEntry: false })?.isDirectory() ?? false;
      if (!isDir)
        throw new UserError(
          `${label(out, o.flag)}: cannot be created, ${cur} is a file, not a folder; choose another output path`,
        );
      checkWritableFolder(cur, out, o);
      return;
    }
    const parent = dirname(cur);
    if (parent === cur) return;
    cur = parent;
  }
}

function checkWritableFolder(folder: string, out: string, o: OutputOptions): void {
  try {
    accessSync(folder, constants.W_OK | constants.X_OK);
  } catch (e) {
    if (isErrnoError(e)) throw new UserError(`${label(out, o.flag)}: cannot write into ${folder}: ${fsCause(e)}`);
    throw e;
  }
}

/** Whether the file starts like a churnkit model.json (a full parse when the quick look is not enough). */
function isModelJson(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const head = Buffer.alloc(4096);
    const n = readSync(fd, head, 0, head.length, 0);
    if (new RegExp(`^\\s*\\{\\s*"format"\\s*:\\s*"${MODEL_FORMAT}"`).test(head.toString("utf8", 0, n))) return true;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  try {
    const doc = JSON.parse(readFileSync(file, "utf8")) as unknown;
    return typeof doc === "object" && doc !== null && (doc as { format?: unknown }).format === MODEL_FORMAT;
  } catch {
    return false;
  }
}

/**
 * Check that `out` may be written as a model directory (not a symbolic link: {@link refuseSymlink}): it does not exist yet (and can be created), or is an
 * empty directory, or is a churnkit model directory (model.json with `"format": "churnkit-model"`) holding only
 * the files churnkit writes. Refused: an input file, a regular or special file, any other directory.
 */
export function checkOutputDir(out: string, o: OutputOptions = {}): void {
  checkInputs(out, o, true);
  refuseSymlink(out, { flag: o.flag, dir: true });
  const name = label(out, o.flag);
  const st = lstatOrNull(out);
  if (!st) return checkCreatable(out, o);
  const special = specialKind(st);
  if (special) throw new UserError(`${name}: is ${special}, not a directory; choose another output path`);
  if (!st.isDirectory())
    throw new UserError(`${name}: is a file, not a churnkit model directory; choose another output path`);
  checkWritableFolder(dirname(resolve(out)), out, o);
  let entries: string[];
  try {
    entries = readdirSync(out);
  } catch (e) {
    if (isErrnoError(e)) throw new UserError(`${name}: cannot be read: ${fsCause(e)}`);
    throw e;
  }
  if (entries.length === 0) return;
  const modelJson = join(out, "model.json");
  if (!entries.includes("model.json") || !lstatOrNull(modelJson)?.isFile())
    throw new UserError(
      `${name}: exists and is not a churnkit model directory (no model.json); choose a new or empty directory, or remove it yourself`,
    );
  if (!isModelJson(modelJson))
    throw new UserError(
      `${name}: exists and is not a churnkit model directory (its model.json is not a churnkit model); choose a new or empty directory, or remove it yourself`,
    );
  const foreign = entries.find((f) => !MODEL_FILES.includes(f) || !lstatOrNull(join(out, f))?.isFile());
  if (foreign)
    throw new UserError(
      `${name}: is a churnkit model directory but also holds ${foreign}, which replacing it would delete; move ${foreign} out or choose another output directory`,
    );
}

/** Options of {@link checkOutputFile}. */
export interface OutputFileOptions extends OutputOptions {
  /** An existing regular file is refused unless this is true (default true: the user named it as the output). */
  overwrite?: boolean;
  /** Added to the message about an existing file when `overwrite` is false (e.g. "pass --force to overwrite it"). */
  overwriteHint?: string;
  /** Added to the message about a special file (e.g. "omit --out to write to standard output"). */
  specialHint?: string;
}

/**
 * Check that `out` may be written as one file (written atomically by `writeFileAtomic`): not an input, not a
 * symbolic link, not a directory, not a special file; an existing regular file is replaced only when `overwrite` is true.
 */
export function checkOutputFile(out: string, o: OutputFileOptions = {}): void {
  checkInputs(out, o, false);
  refuseSymlink(out, { flag: o.flag, hint: o.specialHint });
  const name = label(out, o.flag);
  // A model directory holds only what training writes; a report or predictions there would replace its
  // metrics.json or report.html, or make the next train refuse the directory.
  const folder = dirname(resolve(out));
  const modelJson = join(folder, "model.json");
  if (lstatOrNull(modelJson)?.isFile() && isModelJson(modelJson))
    throw new UserError(
      `${name}: is inside the churnkit model directory ${folder}, which holds only what training writes; choose a path outside it`,
    );
  const st = lstatOrNull(out);
  if (!st) return checkCreatable(out, o);
  const special = specialKind(st);
  if (special)
    throw new UserError(`${name}: is ${special}, not a regular file; ${o.specialHint ?? "choose another output path"}`);
  if (st.isDirectory()) throw new UserError(`${name}: is a directory; name a file to write instead`);
  if (o.overwrite === false)
    throw new UserError(`${name}: already exists; ${o.overwriteHint ?? "choose another output path"}`);
  checkWritableFolder(dirname(resolve(out)), out, o);
}
