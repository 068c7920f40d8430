/**
 * One writer per output: an exclusive-create lock file `.NAME.lock` beside the output holds the writer's process
 * id, so that two trainings into one `--out` cannot both win silently. A lock left by a dead process is taken over.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { UserError } from "./errors.js";
import { cleanLeftovers, isPidAlive } from "./fs.js";
import { logger, type Logger } from "./logging.js";
import { checkOutputDir, isErrnoError, MODEL_FILES, outputError, realPathOf, type OutputOptions } from "./output.js";

/** A lock younger than this with no readable process id is being written right now (not stale). */
const FRESH_MS = 10_000;

/** Lock files this process holds. */
const held = new Set<string>();
let exitHook = false;
/** The lock files held by the current async call chain (so that a nested claim of the same output is no new lock). */
const scope = new AsyncLocalStorage<ReadonlySet<string>>();

/**
 * The lock file of an output: `.NAME.lock` in the same folder (an absolute path, through the folder's real path,
 * so that two names of one folder are one lock also within a process; the output itself is never a symbolic link).
 */
export const lockPath = (out: string): string => resolve(realPathOf(dirname(out)), `.${basename(out)}.lock`);

/** A taken lock; `release` removes the lock file. */
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
  if (held.has(path))
    throw new UserError(
      `${flag} ${out}: another training in this process (pid ${process.pid}) is writing it; wait for it or choose another output directory`,
    );
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
    // Our own pid in a lock we do not hold: left by an earlier process that had our pid.
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
  held.add(path);
  if (!exitHook) {
    exitHook = true;
    // A process that exits without releasing (an uncaught error) still leaves no lock behind.
    process.on("exit", () => {
      for (const p of held) removeIfOurs(p);
    });
  }
  let released = false;
  return {
    release: () => {
      if (released) return;
      released = true;
      held.delete(path);
      removeIfOurs(path);
    },
  };
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
 * lock, and clean what a killed earlier write left beside it. Call `release()` when done (also on failure);
 * {@link withModelDir} does both.
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

/**
 * Run `fn` as the one writer of model directory `out`: {@link claimModelDir} first (check, lock, leftovers),
 * the lock released when `fn` settles. Nested calls for the same output inside `fn` (a command, then the
 * pipeline, then `save`) only check again; a concurrent call elsewhere, in this process or another, is refused.
 */
export async function withModelDir<T>(out: string, o: OutputOptions, log: Logger, fn: () => Promise<T>): Promise<T> {
  const key = lockPath(out);
  const mine = scope.getStore();
  if (mine?.has(key)) {
    checkOutputDir(out, o);
    return fn();
  }
  const lock = await claimModelDir(out, o, log);
  try {
    return await scope.run(new Set([...(mine ?? []), key]), fn);
  } finally {
    lock.release();
  }
}
