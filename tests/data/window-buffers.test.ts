/** data/window-buffers.ts: only whole, undetached arrays of the window's size are reused, each once. */
import { describe, expect, it } from "vitest";
import { WindowBuffers } from "../../src/data/window-buffers.js";

describe("WindowBuffers", () => {
  it("reuses whole arrays of its size, never a view, a detached or a shared array, nor one twice", () => {
    const b = new WindowBuffers(8);
    const a = b.float64();
    const c = b.int32();
    b.give([a, a, c, new Float64Array(4), new Float64Array(16).subarray(0, 8)]);
    b.give([new Float64Array(new SharedArrayBuffer(64))]);
    const moved = new Float64Array(8);
    structuredClone(moved, { transfer: [moved.buffer] }); // detached: length 0
    b.give([moved]);
    expect(b.float64()).toBe(a);
    expect(b.float64()).not.toBe(a); // given twice, kept once
    expect(b.int32()).toBe(c);
    expect(b.float64(5)).toHaveLength(5); // another length: made
  });

  it("keeps at most `keep` spares", () => {
    const b = new WindowBuffers(4, 2);
    const made = [b.float64(), b.float64(), b.float64()];
    b.give(made);
    const [x, y] = [b.float64(), b.float64()];
    expect(x).toBe(made[1]);
    expect(y).toBe(made[0]);
    expect(made).not.toContain(b.float64());
  });
});
