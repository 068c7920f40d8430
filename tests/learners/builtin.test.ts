import { describe, expect, it } from "vitest";
import { BUILTIN_FAMILIES } from "../../src/learners/builtin.js";
import { knownFamilies } from "../../src/learners/families.js";

describe("built-in family names", () => {
  it("are the families that loading them registers, in order (the CLI's --model choices come from the names)", () => {
    expect(knownFamilies().slice(0, BUILTIN_FAMILIES.length)).toEqual([...BUILTIN_FAMILIES]);
    expect(knownFamilies()).toEqual(["logreg", "tree", "forest", "gbdt", "cox"]);
  });
});
