/**
 * What the server tells clients about the model's input: a JSON Schema (draft-07) of one
 * input row, the form fields of the scoring page, and an OpenAPI 3.1 document of the routes.
 *
 * The JSON Schema describes exactly what churnkit's own value parsing (src/data/values.ts)
 * accepts, so that a client validating against it and the server (which validates with the
 * model's parsing) agree: numbers or numeric strings for numeric columns, any scalar for
 * categorical columns (numbers and booleans are read as their text), booleans as
 * true/false, 1/0 or the words yes/no/y/n/t/f (any case) for boolean columns. Every column
 * accepts null and the missing words: the model imputes them, as `churnkit predict` does, also
 * in a column that had no missing values in training (`nullable: false`).
 */
import type { ColumnType } from "../data/schema.js";
import { MISSING_TOKENS } from "../data/values.js";
import type { ModelArtifact } from "../artifact/artifact.js";
import { scoringInputs, survivalShapeOf } from "../artifact/churn-model.js";
import { REMAINING_COLUMN, revenueColumn, scoreColumns, withinColumn } from "../artifact/prediction-row.js";
import { dict, own } from "../utils/dict.js";

/** A JSON Schema node (kept loose: it is data, sent to clients). */
export type JsonSchema = Record<string, unknown>;

/** One input column as the scoring page needs it. */
export interface InputField {
  name: string;
  type: ColumnType;
  /** Whether the column had missing values in training (null is accepted, and imputed, either way). */
  nullable: boolean;
  /** Categorical: the model's kept levels, most frequent first. */
  levels?: string[];
  /** Numeric: training minimum and maximum (a hint, not a limit). */
  min?: number;
  max?: number;
  /** A typical value: the training median (numeric), most frequent level, or the majority (boolean, 1/0). */
  typical?: number | string;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
/** Case-insensitive pattern for a word, without regex flags (JSON Schema has none). */
const anyCase = (w: string): string =>
  [...w]
    .map((c) => (c.toLowerCase() !== c.toUpperCase() ? `[${c.toUpperCase()}${c.toLowerCase()}]` : escapeRe(c)))
    .join("");

/** Text churnkit reads as a number (values.ts), with surrounding white space. */
export const NUMERIC_STRING = "^\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?\\s*$";
/** Text churnkit reads as missing (values.ts MISSING_TOKENS, trimmed). */
export const MISSING_STRING = `^\\s*(${[...MISSING_TOKENS].map(escapeRe).join("|")})\\s*$`;
/** Text churnkit reads as a boolean (values.ts: true/yes/y/t, false/no/n/f, 1/0, any case). */
export const BOOLEAN_STRING = `^\\s*(${["true", "yes", "y", "t", "false", "no", "n", "f"].map(anyCase).join("|")}|1|0)\\s*$`;

const nullable = (): JsonSchema[] => [{ type: "null" }, { type: "string", pattern: MISSING_STRING }];

const isNullable = (a: ModelArtifact, column: string): boolean =>
  a.schema.columns.find((c) => c.name === column)?.nullable ?? true;

/** The schema of one column's value. */
function columnSchema(field: InputField): JsonSchema {
  const { type, nullable: canBeNull } = field;
  let anyOf: JsonSchema[];
  let description: string;
  if (type === "numeric") {
    anyOf = [{ type: "number" }, { type: "string", pattern: NUMERIC_STRING }, { type: "boolean" }];
    const range =
      field.min !== undefined && field.max !== undefined ? `; training range ${field.min} to ${field.max}` : "";
    description = `numeric: a number or numeric text such as "42"${range}`;
  } else if (type === "boolean") {
    anyOf = [{ type: "boolean" }, { type: "number", enum: [0, 1] }, { type: "string", pattern: BOOLEAN_STRING }];
    description = "boolean: true/false, 1/0, or yes/no (any case)";
  } else {
    anyOf = [{ type: "string" }, { type: "number" }, { type: "boolean" }];
    description = `categorical: text (numbers are read as text); levels seen in training: ${(field.levels ?? []).map((l) => JSON.stringify(l)).join(", ")}; other values are accepted and flagged as unseen`;
  }
  // eslint-disable-next-line no-restricted-syntax -- one or two JSON-schema alternatives
  anyOf.push(...nullable());
  if (!canBeNull) description += "; never missing in training (a missing value is imputed)";
  const out: JsonSchema = { description, anyOf };
  if (field.levels) out.examples = field.levels;
  return out;
}

/** JSON Schema (draft-07) of one input row: every model input column required, extra columns allowed. */
export function rowJsonSchema(a: ModelArtifact): JsonSchema {
  const properties = dict<JsonSchema>(); // keyed by column names: "__proto__" is a column
  for (const f of inputFields(a)) properties[f.name] = columnSchema(f);
  for (const id of a.id_columns)
    properties[id] ??= {
      description: "identifier: copied into the prediction",
      anyOf: [{ type: "string" }, { type: "number" }, { type: "null" }],
    };
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "churnkit input row",
    description: `One customer for the model predicting "${a.target.column}" = ${JSON.stringify(a.target.positive)}. Extra columns are allowed and ignored.`,
    type: "object",
    required: scoringInputs(a).map((c) => c.name),
    properties,
    additionalProperties: true,
  };
}

/** The input columns with what the page needs to build a form. */
export function inputFields(a: ModelArtifact): InputField[] {
  const cats = new Map(a.preprocess.categorical.map((c) => [c.column, c]));
  return scoringInputs(a).map(({ name, type }): InputField => {
    const f: InputField = { name, type, nullable: isNullable(a, name) };
    const st = a.reference_stats ? own(a.reference_stats, name) : undefined;
    if (type === "categorical") {
      f.levels = cats.get(name)?.levels ?? (st?.type === "categorical" ? Object.keys(st.top) : []);
      if (f.levels.length) f.typical = f.levels[0];
    } else if (st && st.type !== "categorical") {
      if (Number.isFinite(st.min)) f.min = st.min;
      if (Number.isFinite(st.max)) f.max = st.max;
      const median = st.quantiles?.["0.5"];
      if (type === "boolean") f.typical = st.mean >= 0.5 ? 1 : 0;
      else if (median !== undefined && Number.isFinite(median)) f.typical = median;
    }
    return f;
  });
}

const errorSchema = { type: "object", properties: { error: { type: "string" } }, required: ["error"] };
const json = (schema: JsonSchema) => ({ "application/json": { schema } });
const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((c) => [
      String(c),
      { description: ERROR_TEXT[c], content: json({ $ref: "#/components/schemas/Error" }) },
    ]),
  );
const ERROR_TEXT: Record<number, string> = {
  400: "invalid input: the message names the row and column",
  401: "missing or wrong bearer token",
  404: "unknown route",
  413: "body larger than the server's --max-body",
  415: "unsupported content type",
};

/** A survival model's prediction fields (none for classification), with their schemas. */
function survivalProperties(a: ModelArtifact): [string, JsonSchema][] {
  const s = a.survival;
  if (!s) return [];
  const d = s.duration;
  return [
    ...s.horizons.map((h): [string, JsonSchema] => [
      withinColumn(h),
      {
        type: "number",
        minimum: 0,
        maximum: 1,
        description: `chance of leaving within ${h} (units of "${d}") from the row's current "${d}"`,
      },
    ]),
    [
      REMAINING_COLUMN,
      {
        type: "number",
        minimum: 0,
        description: `expected further "${d}" before leaving, up to the longest in training (${s.baseline.max_time})`,
      },
    ],
    ...(s.value
      ? s.horizons.map((h): [string, JsonSchema] => [
          revenueColumn(h),
          {
            type: ["number", "null"],
            minimum: 0,
            description: `"${s.value}" × the expected part of the next ${h} lost to churn (null when "${s.value}" is missing)`,
          },
        ])
      : []),
  ];
}

/**
 * The columns of a scored row after the id columns, in order (POST /predict's fields, /predict.csv's columns): the
 * prediction schema's required fields, and what GET /model's `output_columns` tells the scoring page.
 */
export const predictionColumns = (a: ModelArtifact): string[] => scoreColumns(survivalShapeOf(a));

/** "a, b and c" of `names`. */
const listed = (names: readonly string[]): string => names.join(", ").replace(/, ([^,]*)$/, " and $1");

/** OpenAPI 3.1 document of the server's routes, with the row schema as a component. */
export function openApiDocument(a: ModelArtifact, info: { title: string; version: string; auth: boolean }): JsonSchema {
  const { $schema: _drop, ...row } = rowJsonSchema(a);
  const prediction = {
    type: "object",
    description: "Identifier columns present in the input come first.",
    properties: {
      churn_probability: { type: "number", minimum: 0, maximum: 1 },
      churn_prediction: {
        type: "boolean",
        description: `churn_probability >= the model's threshold (${a.threshold.value})`,
      },
      unseen: {
        type: "array",
        description: "categories not seen in training",
        items: { type: "object", properties: { column: { type: "string" }, value: { type: "string" } } },
      },
      contributions: {
        type: "array",
        description: "with explain: the 5 largest contributions to the score",
        items: { type: "object" },
      },
    },
    required: predictionColumns(a),
    additionalProperties: true,
  };
  for (const [k, v] of survivalProperties(a)) (prediction.properties as Record<string, JsonSchema>)[k] = v;
  const rows = { type: "array", minItems: 1, items: { $ref: "#/components/schemas/Row" } };
  const predictBody = {
    oneOf: [
      { $ref: "#/components/schemas/Row" },
      rows,
      { type: "object", required: ["rows"], properties: { rows, explain: { type: "boolean" } } },
    ],
  };
  const secured = info.auth ? { security: [{ bearer: [] }] } : {};
  const get = (summary: string, schema: JsonSchema, codes: number[] = info.auth ? [401] : []) => ({
    // eslint-disable-next-line no-restricted-syntax -- a handful of HTTP status codes
    get: { summary, ...secured, responses: { 200: { description: "OK", content: json(schema) }, ...errors(...codes) } },
  });
  return {
    openapi: "3.1.0",
    info: {
      title: info.title,
      version: info.version,
      description: `churnkit model server (model family ${a.model.family}).`,
    },
    paths: {
      "/predict": {
        post: {
          summary: "Score one customer, an array of them, or {rows, explain}",
          ...secured,
          parameters: [
            {
              name: "explain",
              in: "query",
              required: false,
              schema: { type: "boolean" },
              description: "add the top 5 contributions per row (400 if the model cannot explain)",
            },
          ],
          requestBody: { required: true, content: json(predictBody) },
          responses: {
            200: {
              description: "one prediction per row, in input order",
              content: json({
                type: "object",
                properties: {
                  predictions: { type: "array", items: prediction },
                  model: { type: "object", properties: { family: { type: "string" }, version: { type: "string" } } },
                },
              }),
            },
            // eslint-disable-next-line no-restricted-syntax -- a handful of HTTP status codes
            ...errors(400, ...(info.auth ? [401] : []), 413, 415),
          },
        },
      },
      "/predict.csv": {
        post: {
          summary: `Score a CSV file; answers a CSV with the id column(s), ${listed(predictionColumns(a))} (as \`churnkit predict\`)`,
          ...secured,
          requestBody: { required: true, content: { "text/csv": { schema: { type: "string" } } } },
          responses: {
            200: { description: "scored CSV", content: { "text/csv": { schema: { type: "string" } } } },
            // eslint-disable-next-line no-restricted-syntax -- a handful of HTTP status codes
            ...errors(400, ...(info.auth ? [401] : []), 413, 415),
          },
        },
      },
      "/health": {
        get: {
          summary: "liveness (never needs a token)",
          responses: {
            200: { description: "OK", content: json({ type: "object", properties: { status: { const: "ok" } } }) },
          },
        },
      },
      "/model": get(
        "the model: name, family, churnkit version, trained_at, metrics, threshold, output columns, input schema",
        {
          type: "object",
        },
      ),
      "/schema": get("JSON Schema (draft-07) of one input row", { type: "object" }),
      "/openapi.json": get("this document", { type: "object" }),
      "/metrics": {
        get: {
          summary:
            "Prometheus metrics (text format 0.0.4): requests by route and status, latency, rows scored, unseen categories by column, churn probabilities",
          ...secured,
          responses: {
            200: { description: "Prometheus text", content: { "text/plain": { schema: { type: "string" } } } },
            // eslint-disable-next-line no-restricted-syntax -- a handful of HTTP status codes
            ...errors(...(info.auth ? [401] : [])),
          },
        },
      },
      "/": {
        get: {
          summary: "the scoring web page",
          responses: { 200: { description: "HTML", content: { "text/html": { schema: { type: "string" } } } } },
        },
      },
    },
    components: {
      schemas: { Row: row, Error: errorSchema },
      ...(info.auth ? { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } } : {}),
    },
  };
}
