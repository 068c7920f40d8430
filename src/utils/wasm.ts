/**
 * Where churnkit's WebAssembly kernels (the gbdt histogram, the leaf-mask forest scorer) are compiled and run, and
 * the one switch for them: `CHURNKIT_WASM=0` turns every kernel off, and each caller then uses its JavaScript path,
 * which gives the same bits (the kernels are checked against it in the tests).
 *
 * The kernels need 128-bit SIMD and shared memory (the histogram's is shared with worker threads). Where this
 * runtime has either missing (an old engine, `node --jitless`), {@link wasmAvailable} is false and they are off
 * too; it is probed once, with a tiny module that uses both.
 */
import { wasmFromText } from "./wasm-text.js";

/** The parts of the WebAssembly JS API used here (TypeScript's ES2022 lib and @types/node 20 do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => { buffer: ArrayBufferLike };
}

const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** Bytes in a WebAssembly page; a memory has at most 65536 of them (4 GiB). */
const PAGE = 65536;
const MAX_PAGES = 65536;

/** A shared WebAssembly.Memory: its buffer is a SharedArrayBuffer that worker threads can be handed. */
export interface SharedWasmMemory {
  readonly buffer: SharedArrayBuffer;
}

/** A WebAssembly.Memory of this thread alone. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

/** A module that imports shared memory and adds two f64x2 values: compiles only with SIMD and shared memory. */
const PROBE = `(module (import "e" "m" (memory 1 1 shared))
  (func (param v128 v128)
    i32.const 0
    local.get 0
    local.get 1
    f64x2.add
    v128.store
  ))`;

let available: boolean | undefined;

/** Whether this runtime runs WebAssembly with 128-bit SIMD and shared memory (probed once). */
export function wasmAvailable(): boolean {
  if (available !== undefined) return available;
  try {
    if (api !== undefined) new api.Module(wasmFromText(PROBE)); // throws without SIMD or shared memory
    available = api !== undefined && wasmMemory(1, true) !== null;
  } catch {
    available = false;
  }
  return available;
}

/** Whether the kernels may run: `CHURNKIT_WASM=0` turns them off (read at each use, so a test can flip it). */
export function wasmEnabled(): boolean {
  return process.env.CHURNKIT_WASM !== "0" && wasmAvailable();
}

/**
 * A kernel written in WebAssembly text (wasm-text.ts), compiled on first use (once per process). {@link module}
 * answers null where the kernels are off or unavailable, and the caller keeps its JavaScript path.
 */
export class WasmKernel<Exports> {
  private compiled: object | null | undefined;

  /** `text`: the module's source, made when first needed. */
  constructor(private readonly text: () => string) {}

  /** The compiled module, or null (`CHURNKIT_WASM=0`, no SIMD or shared memory, or the engine refuses it). */
  module(): object | null {
    return wasmEnabled() ? this.compile() : null;
  }

  /**
   * The module's exports over `imports` (e.g. `{ env: { memory } }`), or null where it cannot run. The switch is
   * not read here: it decides where a memory for the kernel is made (through {@link module}), and a worker thread
   * handed such a memory gets the same kernel whatever its own copy of the environment says.
   */
  instantiate(imports: object): Exports | null {
    const m = this.compile();
    if (m === null) return null;
    try {
      return new api!.Instance(m, imports).exports as Exports;
    } catch {
      return null;
    }
  }

  private compile(): object | null {
    if (this.compiled === undefined) {
      try {
        this.compiled = wasmAvailable() ? new api!.Module(wasmFromText(this.text())) : null;
      } catch {
        this.compiled = null; // e.g. an engine without one of the instructions: the JavaScript path stays
      }
    }
    return this.compiled;
  }
}

/**
 * A memory of at least `bytes` bytes (shared: its buffer is a SharedArrayBuffer), or null when there is no
 * WebAssembly or it cannot be had (more than 4 GiB, or out of memory). It never grows: a grown memory would detach
 * the typed arrays that view it.
 */
export function wasmMemory(bytes: number, shared: true): SharedWasmMemory | null;
export function wasmMemory(bytes: number, shared: false): WasmMemory | null;
export function wasmMemory(bytes: number, shared: boolean): SharedWasmMemory | WasmMemory | null {
  if (!api) return null;
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  if (pages > MAX_PAGES) return null;
  try {
    return new api.Memory({ initial: pages, maximum: pages, shared }) as SharedWasmMemory | WasmMemory;
  } catch {
    return null;
  }
}
