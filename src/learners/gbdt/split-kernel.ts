/**
 * Split finding's numeric scan as a WebAssembly kernel (split-kernel-text.ts), over histograms that live in the
 * kernel's own memory: a fit's {@link HistogramPool} hands out views of it ({@link splitKernel}), and splitting.ts
 * scans a histogram there with the kernel, any other with its JS loop. The kernel does the JS scan's operations in
 * its order (no reassociation, no SIMD), so the gains and the chosen split are the same bits; it only drops the
 * typed-array bounds checks and the JIT's overhead: replayed split finding of a 26,000 x 14 fit (3,000 real node
 * histograms), ~17-18 -> ~10.7 µs per node. `CHURNKIT_WASM=0` (utils/wasm.ts) turns it off like every kernel.
 */
import { WasmKernel, wasmMemory } from "../../utils/wasm.js";
import { HistogramPool, type HistogramLayout } from "./histogram.js";
import { splitKernelText } from "./split-kernel-text.js";

/** The scan of one numeric feature (split-kernel-text.ts): 1 when it beats `best`, its split then at `out`. */
type Scan = (
  this: void,
  hist: number,
  cnt: number,
  off: number,
  nb: number,
  G: number,
  H: number,
  N: number,
  P: number,
  l2: number,
  msl: number,
  mcw: number,
  best: number,
  out: number,
) => number;

/** `out[i] = parent[i] - child[i]` for `n` Float64 (`sub`) or Int32 (`subCounts`) values at these byte addresses. */
type Sub = (this: void, parent: number, child: number, out: number, n: number) => void;

interface Exports {
  scan: Scan;
  sub: Sub;
  subCounts: Sub;
}

const kernel = new WasmKernel<Exports>(splitKernelText);

/** Most bytes of histograms a fit keeps in the kernel's memory (more: the JS scan, on ordinary buffers). */
const MAX_POOL_BYTES = 64 << 20;

/** One fit's scan kernel and the memory its histograms live in. */
export class SplitKernel {
  readonly buffer: ArrayBufferLike;
  /** The improved split: (gain, bin, gl, hl, nl, missingLeft) of the last scan that returned 1. */
  readonly out: Float64Array;
  readonly scan: Scan;
  private readonly exports: Exports;
  constructor(exports: Exports, memory: { buffer: ArrayBufferLike }) {
    this.exports = exports;
    this.scan = exports.scan;
    this.buffer = memory.buffer;
    this.out = new Float64Array(this.buffer, 0, 8);
  }

  /**
   * histogram.ts's `subtractHistogram` (`out = parent - child` over the active features' slots, `out` may be
   * `parent`) by the kernel, the same operations, when all three are in its memory; false (nothing done) otherwise.
   */
  subtract(
    parent: Float64Array,
    child: Float64Array,
    out: Float64Array,
    layout: HistogramLayout,
    features: Int32Array,
  ): boolean {
    const b = this.buffer;
    if (parent.buffer !== b || child.buffer !== b || out.buffer !== b) return false;
    const { offsets, nBins, size } = layout;
    const { sub, subCounts } = this.exports;
    const [p, c, o] = [parent.byteOffset, child.byteOffset, out.byteOffset];
    const nf = features.length;
    // One call per run of consecutive active features (one run without colsample).
    for (let f = 0; f < nf;) {
      const from = offsets[features[f]!]!;
      let j = features[f]!;
      for (f++; f < nf && features[f] === j + 1; f++) j++;
      const n = offsets[j]! + nBins[j]! + 1 - from;
      sub(p + 16 * from, c + 16 * from, o + 16 * from, 2 * n);
      const at = 16 * size + 4 * from;
      subCounts(p + at, c + at, o + at, n);
    }
    return true;
  }
}

/** A histogram pool whose first `capacity` buffers are views of the kernel's memory (then ordinary ones). */
class KernelPool extends HistogramPool {
  private next = 0;
  constructor(
    length: number,
    private readonly buffer: ArrayBufferLike,
    private readonly capacity: number,
  ) {
    super(length);
  }
  protected override allocate(): Float64Array {
    if (this.next >= this.capacity) return super.allocate();
    // Byte 0..63: the scan's result; histograms from byte 64, each 8-byte aligned.
    return new Float64Array(this.buffer, 64 + 8 * this.length * this.next++, this.length);
  }
}

/**
 * The histogram pool of a fit of `length`-number histograms, and the scan kernel over it (null: the kernels are off
 * or unavailable, and the pool is an ordinary one). A tree holds at most one histogram per open leaf plus the one
 * being built, so `maxLeafNodes + 2` of them are made in the kernel's memory (64 when unlimited).
 */
export function splitKernel(
  length: number,
  maxLeafNodes: number | null,
): { pool: HistogramPool; kernel: SplitKernel | null } {
  const count = Math.min((maxLeafNodes ?? 62) + 2, Math.floor(MAX_POOL_BYTES / (8 * length)));
  const memory = count > 0 && kernel.module() !== null ? wasmMemory(64 + 8 * length * count, false) : null;
  const exports = memory ? kernel.instantiate({ env: { memory } }) : null;
  if (!memory || !exports) return { pool: new HistogramPool(length), kernel: null };
  return { pool: new KernelPool(length, memory.buffer, count), kernel: new SplitKernel(exports, memory) };
}
