/**
 * The preprocessing of src/data/preprocess.ts (`transform`) as ONNX nodes: from one graph input per column to the
 * model matrix X, in double precision, column for column as churnkit encodes it.
 *
 * - Numeric and boolean columns arrive as float (NaN when missing) and are cast to double (exact), then imputed
 *   (`Where(IsNaN(x), fill, x)`) and standardised (`(x − mean) / std`) when the family asks for it. These are
 *   standard operators on doubles rather than ai.onnx.ml's Imputer and Scaler, which work in float: the fill, mean
 *   and spread stay exactly churnkit's.
 * - Categorical columns arrive as strings. An ai.onnx.ml LabelEncoder maps each kept level to its code, every other
 *   string (a level pooled into "(other)" in training, or one never seen) to the "(other)" code when the column has
 *   one and to missing (NaN) otherwise, and "" (and churnkit's other missing-value words) to missing, as
 *   `transform` does. One-hot families then compare the column index with 0..width−1 (Equal, Cast): a missing value
 *   lights the "(missing)" column or the imputed level's, an unknown one the "(other)" column or none.
 */
import type { ModelArtifact } from "../../artifact/artifact-type.js";
import { MISSING_TOKENS } from "../../data/values.js";
import type { CategoricalState, NumericState, PreprocessState } from "../../data/preprocess.js";
import { UserError } from "../../utils/errors.js";
import { DataType } from "./proto.js";
import { floatTensor, ML, type GraphBuilder } from "./graph.js";

/** The model matrix in the graph. */
export interface Matrix {
  /** The value's name: [N, F] doubles, F = preprocess.features.length. */
  name: string;
  /** Per model column: whether it is a float graph input only cast to double (no scaling), so float32-valued. */
  fromFloat: boolean[];
}

/**
 * The model matrix X built from the graph inputs named after the model's input columns (`inputName` maps a column
 * to its graph input).
 */
export function modelMatrix(g: GraphBuilder, a: ModelArtifact, inputName: (column: string) => string): Matrix {
  const p = a.preprocess;
  const derived = new Set(a.derived.map((d) => d.name));
  const numeric = new Map(p.numeric.map((s) => [s.column, s]));
  const categorical = new Map(p.categorical.map((s) => [s.column, s]));
  const columns: string[] = [];
  const fromFloat: boolean[] = [];
  for (const { column, type } of p.inputs) {
    if (derived.has(column)) {
      const sql = a.derived.find((d) => d.name === column)!.sql;
      throw new UserError(
        `model.json: derived feature "${column}" (${JSON.stringify(sql.length > 80 ? sql.slice(0, 79) + "…" : sql)}) cannot be written as ONNX; export to SQL (--format sql), or retrain without features.derived`,
      );
    }
    if (type === "categorical") {
      const { name, width } = categoricalColumns(g, p, categorical.get(column)!, inputName(column));
      columns.push(name);
      for (let k = 0; k < width; k++) fromFloat.push(false);
    } else {
      columns.push(numericColumn(g, p, numeric.get(column)!, inputName(column)));
      fromFloat.push(!p.needs.standardize);
    }
  }
  const name = columns.length === 1 ? columns[0]! : g.op("Concat", columns, { axis: { int: 1 } });
  return { name, fromFloat };
}

/** One numeric or boolean model column: cast, imputed, standardised as `transform` does. */
function numericColumn(g: GraphBuilder, p: PreprocessState, s: NumericState, input: string): string {
  let x = g.op("Cast", [input], { to: { int: DataType.DOUBLE } });
  if (p.needs.impute) x = g.op("Where", [g.op("IsNaN", [x]), g.double(`${s.column}_fill`, s.fill), x]);
  if (p.needs.standardize) {
    const scale = s.std > 0 ? s.std : 1;
    x = g.op("Div", [g.op("Sub", [x, g.double(`${s.column}_mean`, s.mean)]), g.double(`${s.column}_std`, scale)]);
  }
  return x;
}

/**
 * A LabelEncoder from the column's strings to numbers: `code` for each kept level, `missing` for churnkit's
 * missing-value words, `other` for any other string. Later entries win, as in `transform`'s Map.
 */
function encodeLevels(
  g: GraphBuilder,
  s: CategoricalState,
  input: string,
  code: (level: number) => number,
  missing: number,
  other: number,
): string {
  const map = new Map<string, number>(s.levels.map((l, i) => [l, code(i)]));
  // parseCategory reads these as missing (after trimming), so no kept level equals one of them.
  for (const t of MISSING_TOKENS) map.set(t, missing);
  return g.op(
    "LabelEncoder",
    [input],
    {
      keys_strings: { strings: [...map.keys()] },
      values_floats: { floats: [...map.values()] },
      default_float: { float: other },
    },
    ML,
  );
}

/** The model column(s) of one categorical input: its code (native families) or its `width` one-hot columns. */
function categoricalColumns(
  g: GraphBuilder,
  p: PreprocessState,
  s: CategoricalState,
  input: string,
): { name: string; width: number } {
  const otherCode = s.other ? s.levels.length : -1;
  if (!p.needs.oneHot) {
    // Codes are small integers: exact in float, and so after the cast to double.
    const codes = encodeLevels(g, s, input, (i) => i, NaN, otherCode >= 0 ? otherCode : NaN);
    return { name: g.op("Cast", [codes], { to: { int: DataType.DOUBLE } }), width: 1 };
  }
  const width = s.levels.length + (s.other ? 1 : 0) + (s.missingLevel ? 1 : 0);
  const fillCode = s.fill !== null ? (new Map(s.levels.map((l, i) => [l, i])).get(s.fill) ?? otherCode) : -1;
  const missingAt = s.missingLevel ? width - 1 : p.needs.impute && fillCode >= 0 ? fillCode : -1;
  // -1: no column lights up.
  const index = encodeLevels(g, s, input, (i) => i, missingAt, otherCode);
  const positions = g.constant(
    `${s.column}_positions`,
    floatTensor(
      Array.from({ length: width }, (_, k) => k),
      [1, width],
    ),
  );
  return { name: g.op("Cast", [g.op("Equal", [index, positions])], { to: { int: DataType.DOUBLE } }), width };
}
