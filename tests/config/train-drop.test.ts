/**
 * `churnkit train --drop` and `train({ drop })` both add to the config's `data.drop` (one function,
 * applyTrainOverrides). Runs the built CLI: `npm run build` first.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { train } from "../../src/pipeline/api.js";
import { applyTrainOverrides } from "../../src/config/overrides.js";
import { telcoLines, tmp, write } from "../helpers.js";
import { runCli } from "../cli-run.js";

const inputNames = (a: { inputs: { name: string }[] }): string[] => a.inputs.map((c) => c.name);

describe("train drop overrides", () => {
  it("appends to data.drop without duplicates and leaves everything else as merge does", () => {
    const base = { data: { drop: ["a"], target: "Churn" }, seed: 1 };
    expect(applyTrainOverrides(base, { drop: ["b", "a"] })).toEqual({
      data: { drop: ["a", "b"], target: "Churn" },
      seed: 1,
      model: {},
    });
    expect(applyTrainOverrides(base, {})).toEqual({ ...base, model: {} });
    expect(applyTrainOverrides({}, { drop: ["b"] })).toEqual({ data: { drop: ["b"] }, model: {} });
    // Not a list: kept, so that config validation names it.
    expect(applyTrainOverrides({ data: { drop: "a" } }, { drop: ["b"] })).toEqual({ data: { drop: "a" }, model: {} });
  });

  it("the CLI and the API leave out the same columns for data.drop: [customerID] plus drop: [gender]", async () => {
    const dir = tmp();
    const { header, lines } = telcoLines();
    const data = write(dir, "sample.csv", [header, ...lines.slice(0, 400)].join("\n") + "\n");
    const config = write(dir, "config.json", JSON.stringify({ data: { target: "Churn", drop: ["customerID"] } }));
    const out = join(dir, "cli-model");
    const r = await runCli([
      "train",
      "--data",
      data,
      "--config",
      config,
      "--drop",
      "gender",
      "--seed",
      "3",
      "--out",
      out,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const fromCli = inputNames(
      JSON.parse(readFileSync(join(out, "model.json"), "utf8")) as { inputs: { name: string }[] },
    );
    const { model } = await train({ data, config, drop: ["gender"], seed: 3 });
    const fromApi = inputNames(model.artifact);
    expect(fromApi).toEqual(fromCli);
    expect(fromApi).not.toContain("customerID");
    expect(fromApi).not.toContain("gender");
    expect(fromApi).toContain("tenure");
    expect(fromApi).toHaveLength(header.split(",").length - 3); // minus the target and the two dropped
  });
});
