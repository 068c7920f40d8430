/** The ONNX file itself: its inputs and outputs as the contract says, the operators, metadata, determinism. */
import { describe, expect, it } from "vitest";
import { readArtifact } from "../../src/artifact/artifact.js";
import type { ModelArtifact } from "../../src/artifact/artifact-type.js";
import { onnxFormat, OPSETS } from "../../src/export/onnx/index.js";
import { DataType, decodeModel } from "../../src/export/onnx/proto.js";
import { formats } from "../../src/export/formats.js";
import { errorOf, TELCO } from "../helpers.js";
import { trainModel } from "./onnx-run.js";

describe("the ONNX file", () => {
  it("has one [N, 1] input per model input column (float or string), `probability` and `label` outputs", async () => {
    const dir = await trainModel({ data: TELCO, target: "Churn", idColumns: ["customerID"], model: "gbdt" });
    const a = readArtifact(dir);
    const bytes = onnxFormat.write(a) as Uint8Array;
    expect(formats.onnx).toBe(onnxFormat);
    expect(onnxFormat.extension).toBe(".onnx");
    expect(Buffer.from(onnxFormat.write(a) as Uint8Array).equals(Buffer.from(bytes))).toBe(true); // deterministic
    const m = decodeModel(bytes);
    expect(m.ir_version).toBe(10);
    expect(m.opset_import.map((o) => ({ domain: o.domain ?? "", version: o.version }))).toEqual(OPSETS);
    expect(m.producer_name).toBe("churnkit");
    const inputs = m.graph.input.map((v) => ({
      name: v.name,
      type: v.type.tensor_type.elem_type,
      dims: v.type.tensor_type.shape.dim,
    }));
    expect(inputs).toEqual(
      a.inputs.map((c) => ({
        name: c.name,
        type: c.type === "categorical" ? DataType.STRING : DataType.FLOAT,
        dims: [{ dim_param: "N" }, { dim_value: 1 }],
      })),
    );
    expect(inputs.map((i) => i.name)).not.toContain("customerID");
    expect(inputs.find((i) => i.name === "gender")!.type).toBe(DataType.STRING);
    expect(inputs.find((i) => i.name === "tenure")!.type).toBe(DataType.FLOAT);
    expect(m.graph.output.map((v) => [v.name, v.type.tensor_type.elem_type])).toEqual([
      ["probability", DataType.DOUBLE],
      ["label", DataType.INT64],
    ]);
    const ops = new Set(m.graph.node.map((n) => `${n.domain}:${n.op_type}`));
    expect(ops).toContain("ai.onnx.ml:TreeEnsemble");
    expect(ops).toContain("ai.onnx.ml:LabelEncoder");
    expect(Object.fromEntries(m.metadata_props.map((p) => [p.key, p.value]))).toMatchObject({
      family: "gbdt",
      threshold: String(a.threshold.value),
      target: "Churn",
    });
  }, 60_000);

  it("refuses an input column named like an output", async () => {
    const dir = await trainModel({ data: TELCO, target: "Churn", idColumns: ["customerID"], model: "tree" });
    const a = JSON.parse(JSON.stringify(readArtifact(dir))) as ModelArtifact;
    const rename = (s: string): string => (s === "tenure" ? "label" : s);
    for (const c of a.inputs) c.name = rename(c.name);
    for (const c of a.preprocess.inputs) c.column = rename(c.column);
    for (const s of a.preprocess.numeric) s.column = rename(s.column);
    for (const f of a.preprocess.features) {
      f.name = rename(f.name);
      f.source = rename(f.source);
    }
    const err = await errorOf(() => onnxFormat.write(a));
    expect(err.name).toBe("UserError");
    expect(err.message).toBe(
      'model.json: input column "label" has the name of an output of the ONNX graph; rename the column and retrain',
    );
  }, 60_000);
});
