/**
 * One writer per output: an exclusive-create lock file `.NAME.lock` beside the output holds the writer's process
 * id, so that two trainings into one `--out` cannot both win silently. A lock left by a dead process is taken over.
 */
import { mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { UserError } from "./errors.js";
import { cleanLeftovers, isPidAlive } from "./fs.js";
import { logger, type Logger } from "./logging.js";
import { checkOutputDir, isErrnoError, MODEL_FILES, outputError, type OutputOptions } from "./output.js";

/** A lock younger than this with no readable process id is being written right now (not stale). */
const FRESH_MS = 10_000;

/** Locks this process holds, by lock path, with how many times each was taken (re-entrant). */
const held = new Map<string, number>();
let exitHook = false;

/** The lock file of an output: `.NAME.lock` in the same folder. */
export const lockPath = (out: string): string => join(dirname(out), `.${basename(out)}.lock`);

/** A taken lock; `release` removes the lock file (after the last of re-entrant takes). */
export interface OutputLock {
  release(): void;
}

function readOwner(path: string): { pid?: number; fresh: boolean } | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined; // gone: try again
  }
  const pid = Number(/"pid"\s*:\s*(\d+)/.exec(text)?.[1]);
  let fresh = false;
  try {
    fresh = Date.now() - statSync(path).mtimeMs < FRESH_MS;
  } catch {
    /* gone */
  }
  return { pid: Number.isInteger(pid) && pid > 0 ? pid : undefined, fresh };
}

/**
 * Take the lock of output `out` (its folder is created when missing). Refused with a {@link UserError} when
 * another live process holds it; a lock of a dead process (a killed run) is taken over.
 */
export function lockOutput(out: string, flag = "--out"): OutputLock {
  const path = lockPath(out);
  const again = held.get(path);
  if (again !== undefined) {
    held.set(path, again + 1);
    return { release: () => release(path) };
  }
  try {
    mkdirSync(dirname(out), { recursive: true });
  } catch (e) {
    throw outputError(e, out, flag);
  }
  const body = JSON.stringify({ pid: process.pid, started: new Date().toISOString() }) + "\n";
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, body, { flag: "wx" });
      break;
    } catch (e) {
      if (!isErrnoError(e) || e.code !== "EEXIST" || attempt >= 3) throw outputError(e, path, "lock file");
    }
    const owner = readOwner(path);
    if (!owner) continue;
    const live = owner.pid !== undefined ? owner.pid !== process.pid && isPidAlive(owner.pid) : owner.fresh;
    if (live)
      throw new UserError(
        `${flag} ${out}: another churnkit (pid ${owner.pid ?? "?"}) is writing it; wait for it or choose another --out (or remove ${path} if no churnkit runs)`,
      );
    // Stale: remove it only if it is still the one we read (another process may have just taken it over).
    if (readOwner(path)?.pid === owner.pid) {
      try {
        unlinkSync(path);
      } catch {
        /* someone else removed it: try again */
      }
    }
  }
  held.set(path, 1);
  if (!exitHook) {
    exitHook = true;
    // A process that exits without releasing (an uncaught error) still leaves no lock behind.
    process.on("exit", () => {
      for (const p of held.keys()) removeIfOurs(p);
    });
  }
  return { release: () => release(path) };
}

function release(path: string): void {
  const n = held.get(path);
  if (n === undefined) return;
  if (n > 1) {
    held.set(path, n - 1);
    return;
  }
  held.delete(path);
  removeIfOurs(path);
}

function removeIfOurs(path: string): void {
  if (readOwner(path)?.pid !== process.pid) return;
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}

/**
 * Make `out` ready to receive a model directory, before any work: check it ({@link checkOutputDir}), take its
 * lock, and clean what a killed earlier write left beside it. Call `release()` when done (also on failure).
 */
export async function claimModelDir(out: string, o: OutputOptions = {}, log: Logger = logger()): Promise<OutputLock> {
  checkOutputDir(out, o);
  const lock = lockOutput(out, o.flag ?? "--out");
  try {
    const c = await cleanLeftovers(out, MODEL_FILES);
    if (c.restored)
      log.warn(`${out}: put back the previous model directory that a killed run had moved to ${c.restored}`);
    for (const p of c.removed) log.info(`removed ${p}, left by a killed run`);
    for (const p of c.kept)
      log.warn(`${p}: looks like a leftover of an earlier run but is not ours alone (or its process runs); left as is`);
    // Check again: a restored directory, or a change while we waited for the lock.
    checkOutputDir(out, o);
  } catch (e) {
    lock.release();
    throw outputError(e, out, o.flag);
  }
  return lock;
}
