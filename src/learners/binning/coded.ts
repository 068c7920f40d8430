/**
 * Raw-value thresholds of tree and forest splits between codes (bins); see {@link CodedFeature}.
 */
import type { CodedFeature } from "./types.js";

export type { CodedFeature };

/**
 * Threshold between codes `a < b` of a numeric feature: the midpoint of the largest training value in `a`
 * and the smallest in `b` (scikit-learn's exact rule; between bins it routes every training row exactly
 * as its code does), kept strictly below `lo[b]` and finite so that it survives JSON.
 */
export function splitThreshold(f: CodedFeature, a: number, b: number): number {
  const x = f.hi[a]!;
  const z = f.lo[b]!;
  let t = x / 2 + z / 2;
  if (!(t < z) || t < x) t = x; // rounding pushed the midpoint onto z (adjacent doubles)
  if (t === Infinity) t = Number.MAX_VALUE;
  if (t === -Infinity) t = -Number.MAX_VALUE;
  return t;
}
