/**
 * Spare arrays of one window's length, reused window after window by a scoring stream (score-typed.ts windows, the
 * encoded columns of preprocess.ts `transform`, returned by a scoring worker): a million rows are 61 windows of ~30
 * columns, and allocating them fresh each time cost the main thread ~0.4 s of garbage collection (external memory
 * past V8's limit starts a full collection every few windows). An array is given back only by its last user; a
 * taken array holds whatever its last use left (its taker writes every item it reads).
 */
export class WindowBuffers {
  private readonly f64: Float64Array[] = [];
  private readonly i32: Int32Array[] = [];

  /**
   * @param size items of a window's arrays; an array of another length is neither kept nor made here
   * @param keep at most this many spares of each kind (the rest are left to the garbage collector)
   */
  constructor(
    readonly size: number,
    private readonly keep = 256,
  ) {}

  /** A Float64Array of `n` items: a spare when `n` is the window's size. */
  float64(n = this.size): Float64Array {
    return (n === this.size ? this.f64.pop() : undefined) ?? new Float64Array(n);
  }

  /** An Int32Array of `n` items: a spare when `n` is the window's size. */
  int32(n = this.size): Int32Array {
    return (n === this.size ? this.i32.pop() : undefined) ?? new Int32Array(n);
  }

  /** Give back arrays no one reads any more: kept when they are a whole buffer of the window's size (not detached). */
  give(arrays: Iterable<Float64Array | Int32Array>): void {
    for (const a of arrays) {
      if (a.length !== this.size || a.byteOffset !== 0 || a.buffer.byteLength !== a.byteLength) continue;
      if (!(a.buffer instanceof ArrayBuffer)) continue; // never a shared buffer
      if (a instanceof Float64Array) keep(this.f64, a, this.keep);
      else keep(this.i32, a, this.keep);
    }
  }
}

function keep<T>(spares: T[], a: T, most: number): void {
  if (spares.length < most && !spares.includes(a)) spares.push(a);
}
