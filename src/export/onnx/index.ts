/**
 * `churnkit export --format onnx`: the whole scoring pipeline of a model as one ONNX graph (IR 10, ai.onnx opset
 * 21, ai.onnx.ml opset 5), runnable by onnxruntime 1.20 or later.
 *
 * Inputs: one per model input column, named as the column, shape [N, 1]: tensor(float) for numeric and boolean
 * columns (booleans 1/0, NaN when missing), tensor(string) for categorical ones (the trimmed label, "" when
 * missing). Outputs: `probability` ([N] doubles, churnkit's churn probability) and `label` ([N] int64, 1 when the
 * probability is at or above the model's threshold). Inside, everything is double precision: preprocessing
 * (inputs.ts), the linear model or tree ensemble (trees.ts), the sigmoid and the calibration (score.ts).
 */
import type { ModelArtifact } from "../../artifact/artifact-type.js";
import { validateScoring } from "../../artifact/validate.js";
import { family } from "../../learners/families.js";
import { UserError } from "../../utils/errors.js";
import { VERSION } from "../../version.js";
import type { ExportFormat } from "../format.js";
import { GraphBuilder, valueInfo } from "./graph.js";
import { modelMatrix } from "./inputs.js";
import { DataType, encodeModel } from "./proto.js";
import { probability } from "./score.js";

/** The graph's output names. */
export const OUTPUTS = { probability: "probability", label: "label" } as const;

/** The operator sets the graph uses. */
export const OPSETS = [
  { domain: "", version: 21 },
  { domain: "ai.onnx.ml", version: 5 },
];

/** The model as an ONNX file. Throws a UserError when the family has no score form or a feature is derived. */
export function writeOnnx(given: ModelArtifact): Uint8Array {
  const a = validateScoring(given, "model.json");
  const spec = family(a.model.family);
  if (!spec.scoreForm)
    throw new UserError(
      `model.json: model family "${a.model.family}" cannot be exported (it has no score form); retrain with logreg, tree, forest or gbdt`,
    );
  const form = spec.scoreForm(a.model.state);
  const g = new GraphBuilder();
  for (const out of Object.values(OUTPUTS)) g.reserve(out);
  const inputs = a.inputs.map((c) => {
    if (!g.reserve(c.name))
      throw new UserError(
        `model.json: input column "${c.name}" has the name of an output of the ONNX graph; rename the column and retrain`,
      );
    return valueInfo(c.name, c.type === "categorical" ? DataType.STRING : DataType.FLOAT, ["N", 1], `${c.type} column`);
  });
  const X = modelMatrix(g, a, (column) => column);
  const p = probability(g, form, a.calibration, X);
  const flat = g.int64("flat_shape", [-1]);
  g.node("Reshape", [p, flat], {}, { names: [OUTPUTS.probability] });
  const atOrAbove = g.op("GreaterOrEqual", [OUTPUTS.probability, g.double("threshold", a.threshold.value)]);
  g.node("Cast", [atOrAbove], { to: { int: DataType.INT64 } }, { names: [OUTPUTS.label] });
  const doc = `churnkit ${a.model.family} model of ${a.target.column} (churn = ${JSON.stringify(a.target.positive)}), decision threshold ${a.threshold.value}`;
  const graph = g.graph("churnkit", doc, inputs, [
    valueInfo(OUTPUTS.probability, DataType.DOUBLE, ["N"], "churn probability"),
    valueInfo(OUTPUTS.label, DataType.INT64, ["N"], `1 when probability >= ${a.threshold.value}, else 0`),
  ]);
  return encodeModel({
    ir_version: 10,
    opset_import: OPSETS,
    producer_name: "churnkit",
    producer_version: VERSION,
    doc_string: doc,
    graph,
    metadata_props: [
      { key: "family", value: a.model.family },
      { key: "threshold", value: String(a.threshold.value) },
      { key: "target", value: a.target.column },
      { key: "churnkit_version", value: a.churnkit_version },
      { key: "created_at", value: a.created_at },
    ],
  });
}

/** The ONNX export format (`--format onnx`). */
export const onnxFormat: ExportFormat = { name: "onnx", extension: ".onnx", write: writeOnnx };
