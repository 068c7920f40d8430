/**
 * File helpers: atomic writes so that nothing half-written is ever left behind, and the cleanup of what a
 * killed write left (recognised by our naming pattern and a dead process id, never anything else).
 */
import { randomBytes } from "node:crypto";
import { existsSync, lstatSync, readdirSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { isErrnoError, outputError, refuseSymlink } from "./output.js";

/**
 * The temporary sibling an atomic write of `target` uses: `.NAME.tmp-PID-TIME-RANDOM` (and `….old`). The random
 * part makes the name unguessable, so that nobody can plant a symbolic link there in advance; it is still
 * created exclusively (`wx`, `mkdir`), which never follows a link.
 */
export const tmpSibling = (target: string): string =>
  join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${Date.now()}-${randomBytes(8).toString("hex")}`);

/** Whether `e` is "it already exists" (an exclusive create met a name that is not ours: never remove it). */
const isExists = (e: unknown): boolean => isErrnoError(e) && e.code === "EEXIST";

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Whether a process with this id is running (EPERM: it runs, as another user). */
export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Write a set of files into `dir` atomically: they are written into a temporary sibling directory which then
 * replaces `dir` (an existing directory is swapped out, then removed). A file-system error is a UserError
 * naming `dir` and the cause. The caller checks first that `dir` may be replaced (`checkOutputDir`).
 */
export async function writeDirAtomic(dir: string, files: Record<string, string>): Promise<void> {
  const tmp = tmpSibling(dir);
  let made = false;
  try {
    await mkdir(dirname(dir), { recursive: true });
    await mkdir(tmp);
    made = true;
    for (const [name, content] of Object.entries(files)) await writeFile(join(tmp, name), content, { flag: "wx" });
    // Checked before (checkOutputDir), and again here: a link planted meanwhile would be replaced, not followed.
    refuseSymlink(dir, { dir: true });
    if (existsSync(dir)) {
      const old = `${tmp}.old`;
      await rename(dir, old);
      await rename(tmp, dir);
      made = false;
      // The new directory is in place: failing to remove the old one is not a failed write (the next write cleans it).
      await rm(old, { recursive: true, force: true }).catch(() => {});
    } else {
      await rename(tmp, dir);
      made = false;
    }
  } catch (e) {
    if (made) await rm(tmp, { recursive: true, force: true }).catch(() => {});
    throw outputError(e, dir);
  }
}

/** Write one file atomically (temporary name in the same folder, then rename); errors as in {@link writeDirAtomic}. */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const tmp = tmpSibling(path);
  let made = false;
  try {
    await mkdir(dirname(path), { recursive: true });
    made = true; // from here a failure may leave a (partly written) temporary file of ours
    await writeFile(tmp, content, { flag: "wx" });
    refuseSymlink(path); // as in writeDirAtomic
    await rename(tmp, path);
  } catch (e) {
    if (made && !isExists(e)) await rm(tmp, { force: true }).catch(() => {});
    throw outputError(e, path);
  }
}

/** What {@link cleanLeftovers} did. */
export interface Cleanup {
  /** Leftovers removed. */
  removed: string[];
  /** A killed replace's previous directory put back in place (the target was missing). */
  restored?: string;
  /** Names that look like ours but were left alone (a live process, or files we did not write). */
  kept: string[];
}

/**
 * Remove what killed atomic writes of `target` left beside it: `.NAME.tmp-PID-TIME-RANDOM` and `….old` (also the
 * older `.NAME.tmp-PID` and `.NAME.tmp-PID-TIME`)
 * directories (or, with `ownFiles` undefined, regular files) whose process is dead and that hold only `ownFiles`.
 * When `target` is missing and such a `.old` holds a complete previous directory (a kill between the two renames
 * of a replace), it is renamed back to `target` instead of being removed.
 */
export async function cleanLeftovers(target: string, ownFiles?: readonly string[]): Promise<Cleanup> {
  const parent = dirname(target);
  const re = new RegExp(`^\\.${escapeRe(basename(target))}\\.tmp-(\\d+)(?:-(\\d+)(?:-[0-9a-f]+)?)?(\\.old)?$`);
  const done: Cleanup = { removed: [], kept: [] };
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return done;
  }
  // Older first, so that the most recent previous directory is the one restored.
  const found = names
    .map((name) => ({ name, m: re.exec(name) }))
    .filter((x) => x.m !== null)
    .sort((a, b) => Number(a.m![2] ?? 0) - Number(b.m![2] ?? 0));
  for (const { name, m } of found) {
    const path = join(parent, name);
    const pid = Number(m![1]);
    const isOld = m![3] !== undefined;
    if (isPidAlive(pid) || !isOurs(path, ownFiles)) {
      done.kept.push(path);
      continue;
    }
    if (ownFiles && isOld && !existsSync(target) && readdirSync(path).includes("model.json")) {
      await rename(path, target);
      done.restored = path;
      continue;
    }
    await rm(path, { recursive: true, force: true });
    done.removed.push(path);
  }
  return done;
}

/** A leftover is ours when it is a directory of only our (regular) files, or a regular file for a file output. */
function isOurs(path: string, ownFiles?: readonly string[]): boolean {
  const st = lstatSync(path, { throwIfNoEntry: false });
  if (!st) return false;
  if (!ownFiles) return st.isFile();
  if (!st.isDirectory()) return false;
  return readdirSync(path).every((f) => ownFiles.includes(f) && lstatSync(join(path, f)).isFile());
}
