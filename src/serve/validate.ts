/**
 * Request checks for POST /predict that the model's own parsing does not make: the shape of
 * the body and every input column present in every row; and the table of the columns the
 * model reads. Value types and missing values are then handled by the model itself
 * (`typeTable` and the learned imputation, the same code `churnkit predict` runs), so the
 * server and the CLI accept exactly the same values: a null is imputed, also in a column that
 * was never missing in training. Every failure is a UserError, answered with 400.
 */
import type { RawTable, RawValue } from "../data/load.js";
import type { ModelArtifact } from "../artifact/artifact.js";
import { scoringInputs } from "../artifact/churn-model.js";
import { dict, own } from "../utils/dict.js";
import { UserError, show } from "../utils/errors.js";

/** A request body, once its shape is known. */
export interface PredictRequest {
  rows: Record<string, unknown>[];
  /** `"explain": true` in the {rows} form. */
  explain: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Read the body: one customer object, an array of them, or {"rows": [...], "explain"?: boolean}. */
export function readPredictBody(body: unknown): PredictRequest {
  let rows: unknown[];
  let explain = false;
  if (Array.isArray(body)) rows = body;
  else if (isObject(body) && Array.isArray(body.rows)) {
    rows = body.rows;
    if (body.explain !== undefined && typeof body.explain !== "boolean")
      throw new UserError(`"explain" must be true or false, got ${show(body.explain)}`);
    explain = body.explain === true;
  } else if (isObject(body)) rows = [body];
  else throw new UserError('the body must be a JSON customer object, an array of them, or {"rows": [...]}');
  if (rows.length === 0) throw new UserError("no rows: the body holds no customer to score");
  rows.forEach((r, i) => {
    if (!isObject(r))
      throw new UserError(
        `row ${i + 1}: expected an object of column: value pairs, got ${Array.isArray(r) ? "an array" : show(r)}`,
      );
  });
  return { rows: rows as Record<string, unknown>[], explain };
}

/** What the row check needs from the artifact, computed once per server. */
export interface RowRules {
  /** Every model input column. */
  required: string[];
  /** Identifier columns, copied into predictions when the request has them. */
  ids: string[];
}

/** The row rules of a model: its input columns, and the identifier columns that are not also inputs. */
export function rowRules(a: ModelArtifact): RowRules {
  const required = scoringInputs(a).map((c) => c.name);
  return {
    required,
    ids: a.id_columns.filter((c) => !required.includes(c)),
  };
}

const scalar = (v: unknown, row: number, column: string): RawValue => {
  if (v !== null && typeof v === "object")
    throw new UserError(
      `row ${row + 1}, column "${column}": expected a number, string or boolean, got ${Array.isArray(v) ? "an array" : "an object"}`,
    );
  return v as RawValue;
};

/**
 * The table the model scores: the input and identifier columns of the rows (other columns are
 * ignored, whatever their values). Every row must have every input column (null for missing).
 * Rows are numbered from 1, as in the model's own errors.
 */
export function requestTable(rows: Record<string, unknown>[], rules: RowRules): RawTable {
  const n = rows.length;
  const data = dict<RawValue[]>();
  for (const c of rules.required) data[c] = new Array<RawValue>(n);
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    let absent: string[] | undefined;
    for (const c of rules.required) {
      const v = own(row, c);
      if (v === undefined && !Object.hasOwn(row, c)) {
        (absent ??= []).push(`"${c}"`);
        continue;
      }
      data[c]![i] = scalar(v, i, c);
    }
    if (absent) {
      const s = absent.length > 1;
      throw new UserError(
        `row ${i + 1}: missing column${s ? "s" : ""} ${absent.join(", ")}; the model needs ${s ? "them" : "it"} (see GET /schema)`,
      );
    }
  }
  const ids = rules.ids.filter((c) => rows.some((r) => Object.hasOwn(r, c)));
  for (const c of ids) data[c] = rows.map((r, i) => scalar(own(r, c) ?? null, i, c));
  return { origin: "request", columns: [...ids, ...rules.required], rows: n, data };
}

/** A model error message without the "request: " origin prefix the data layer adds. */
export const requestMessage = (message: string): string => message.replace(/^request: /, "");
