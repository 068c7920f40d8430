/**
 * Seeded pseudo-random numbers. Every random choice in churnkit (splits, bootstraps,
 * feature subsampling, hyperparameter search) draws from one of these, so a seed
 * reproduces a run exactly. mulberry32: tiny, fast, and good enough for sampling.
 */
export class Rng {
  private s: number;

  constructor(seed: number) {
    // Mix the seed so that small seeds (0, 1, 2) give unrelated streams.
    this.s = (Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b) ^ 0xc2b2ae35) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Shuffle in place (Fisher–Yates). */
  shuffle<E, T extends ArrayLikeMutable<E>>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = a[i] as E;
      a[i] = a[j] as E;
      a[j] = tmp;
    }
    return a;
  }

  /** A derived generator, for handing independent streams to trees or workers. */
  fork(salt: number): Rng {
    return new Rng(Math.imul(this.int(0x7fffffff) + 1, 31) ^ salt);
  }
}

/** An array or typed array that can be shuffled in place. */
export interface ArrayLikeMutable<E> {
  /** How many elements. */
  length: number;
  /** The elements, by index. */
  [i: number]: E;
}
