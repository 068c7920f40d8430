/**
 * What the learners' worker threads share: where a compiled worker script is, how many threads to
 * use by default, and copying typed arrays into shared memory (workers then read them in place).
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";

/**
 * `url` if it is a worker script on disk, else null: code run from TypeScript source (e.g. under
 * vitest) has no compiled `.js` worker beside it, and then the caller stays on one thread.
 */
export function compiledWorkerUrl(url: URL): URL | null {
  try {
    return url.protocol === "file:" && existsSync(fileURLToPath(url)) ? url : null;
  } catch {
    return null;
  }
}

/** The most threads config `threads` (and `--threads`) accept. */
export const MAX_THREADS = 256;

/** The default number of threads (learners' and DuckDB's): min(2, cores). */
export const defaultThreads = (): number => Math.min(2, availableParallelism());

/** Threads to use when the caller asked for `requested` (undefined: {@link defaultThreads}); at least 1. */
export function requestedThreads(requested: number | undefined): number {
  return Math.max(1, Math.floor(requested ?? defaultThreads()));
}

/** A typed-array constructor (Float64Array, Int32Array, ...) that can view a SharedArrayBuffer. */
export interface SharedArrayConstructor<T> {
  new (buffer: SharedArrayBuffer): T;
  readonly BYTES_PER_ELEMENT: number;
}

/** A zeroed typed array of `length` elements in shared memory. */
export function sharedArray<T>(Ctor: SharedArrayConstructor<T>, length: number): T {
  return new Ctor(new SharedArrayBuffer(length * Ctor.BYTES_PER_ELEMENT));
}

/** A copy of a typed array in shared memory, so workers read it without copying. */
export function sharedCopy<T extends Float64Array | Int32Array | Uint32Array | Uint8Array>(a: T): T {
  const out = sharedArray(a.constructor as SharedArrayConstructor<T>, a.length);
  (out as unknown as { set(x: T): void }).set(a);
  return out;
}
