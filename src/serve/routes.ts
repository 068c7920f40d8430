/**
 * The server's routes. Scoring goes through the model's own code (`predictProba`, the same
 * path as `ChurnModel.predict`), so a probability from the server is identical to one from
 * the API or the CLI.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ChurnModel } from "../artifact/churn-model.js";
import { predictionRow, presentIdColumns, type Prediction } from "../artifact/prediction-row.js";
import { UserError, show } from "../utils/errors.js";
import { sha256 } from "../utils/hash.js";
import { VERSION } from "../version.js";
import { registerBodyParsers } from "./body.js";
import { scoreCsv } from "./csv.js";
import { assertCanExplain, explainRows, type Contribution } from "./explain.js";
import type { ServerMetrics } from "./metrics.js";
import { PAGE_HTML } from "./page/html.js";
import { PAGE_JS } from "./page/script.js";
import { PAGE_CSS } from "./page/style.js";
import { csvRows, type RequestLog } from "./request-log.js";
import { inputFields, openApiDocument, predictionColumns, rowJsonSchema } from "./schema.js";
import { readPredictBody, requestTable, rowRules } from "./validate.js";

/** One prediction as the server returns it: the API's {@link Prediction}, plus what the server adds. */
export interface ServedPrediction extends Prediction {
  /** Categories this row had that training never saw (scored by the model's unseen-category policy). */
  unseen?: {
    /** The column. */
    column: string;
    /** The category as sent. */
    value: string;
  }[];
  /** With explain: the largest contributions to this row's score. */
  contributions?: Contribution[];
}

const rowsScored = new WeakMap<FastifyRequest, number>();
/** Rows scored by a request (for the request log line). */
export const rowsOf = (req: FastifyRequest): number | undefined => rowsScored.get(req);

/** Read ?explain=...: absent → false; "", "true", "1" → true; "false", "0" → false. */
function explainFlag(v: unknown): boolean {
  if (v === undefined) return false;
  const s = String(v).toLowerCase();
  if (s === "" || s === "true" || s === "1") return true;
  if (s === "false" || s === "0") return false;
  throw new UserError(`query parameter explain must be true or false, got ${show(v)}`);
}

/** A short identifier of the model's learned content: same model, same version. */
function modelVersion(m: ChurnModel): string {
  const a = m.artifact;
  return sha256(JSON.stringify([a.inputs, a.derived, a.preprocess, a.model, a.threshold])).slice(0, 12);
}

const PAGE_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "cache-control": "no-cache",
};

/** What {@link registerRoutes} needs besides the model. */
export interface RouteOptions {
  /** The name GET /model shows. */
  name: string;
  /** Whether the server needs a token (said in the OpenAPI document). */
  auth: boolean;
  /** Most rows one request may explain. */
  maxExplainRows: number;
  /** Where scored rows are counted. */
  metrics: ServerMetrics;
  /** Where scored rows are logged, when `--log-requests` is on. */
  log?: RequestLog;
}

/** Add the scoring, schema, health and page routes of `churnkit serve` for one loaded model. */
export function registerRoutes(app: FastifyInstance, model: ChurnModel, info: RouteOptions): void {
  const a = model.artifact;
  const rules = rowRules(a);
  const version = modelVersion(model);
  const modelInfo = { family: a.model.family, version };
  const schema = rowJsonSchema(a);
  const openapi = openApiDocument(a, {
    title: `churnkit: ${info.name}`,
    version: a.churnkit_version ?? VERSION,
    auth: info.auth,
  });
  const description = {
    name: info.name,
    family: a.model.family,
    version,
    churnkit_version: a.churnkit_version,
    server_churnkit_version: VERSION,
    trained_at: a.created_at,
    target: a.target,
    threshold: a.threshold,
    metrics: a.validation_metrics,
    ...(a.survival
      ? {
          survival: {
            duration: a.survival.duration,
            horizons: a.survival.horizons,
            value: a.survival.value,
            max_duration: a.survival.baseline.max_time,
            metrics: a.survival.validation,
          },
        }
      : {}),
    id_columns: a.id_columns,
    // What a scored row has after the id columns: the scoring page lists them (one list, the schema's).
    output_columns: predictionColumns(a),
    unseen_category_policy: a.preprocess.options.unseen_category,
    inputs: inputFields(a),
    schema,
  };

  registerBodyParsers(app);

  app.get("/health", () => Promise.resolve({ status: "ok" }));
  app.get("/model", () => Promise.resolve(description));
  app.get("/schema", () => Promise.resolve(schema));
  app.get("/openapi.json", () => Promise.resolve(openapi));

  app.post("/predict", async (req, reply) => {
    if (!/json/i.test(req.headers["content-type"] ?? ""))
      return reply
        .code(415)
        .send({ error: "send JSON with Content-Type: application/json (for CSV text, POST to /predict.csv)" });
    const body = readPredictBody(req.body);
    const explain = body.explain || explainFlag((req.query as Record<string, unknown>).explain);
    if (explain) assertCanExplain(model);
    const table = requestTable(body.rows, rules);
    if (explain && table.rows > info.maxExplainRows)
      throw new UserError(
        `explain is limited to ${info.maxExplainRows} rows per request (churnkit serve --max-explain-rows), this one has ${table.rows}; send fewer rows, or score them without explain`,
      );
    rowsScored.set(req, table.rows);
    const { X, unseen, at } = await model.prepare(table);
    const shape = model.survivalShape;
    // A survival model's probability is churn_within of its first horizon; its rows carry every horizon.
    const scores = shape ? model.scoreSurvival(X, at!) : undefined;
    const probability = scores ? scores.within[0]! : model.scoreMatrix(X);
    const surv = scores ? { shape: shape!, scores } : undefined;
    const ids = presentIdColumns(a.id_columns, (c) => Object.hasOwn(table.data, c));
    const threshold = model.threshold;
    const predictions: ServedPrediction[] = Array.from(probability, (p, i) =>
      predictionRow(ids, table.data, i, p, threshold, surv),
    );
    for (const u of unseen) (predictions[u.row]!.unseen ??= []).push({ column: u.column, value: u.value });
    if (explain) {
      const contributions = await explainRows(model, table);
      contributions.forEach((c, i) => predictions[i] && (predictions[i].contributions = c));
    }
    // Logged (and counted) only once the whole answer is ready: a failed request served no row.
    await info.log?.append(body.rows, probability, threshold);
    info.metrics.scored("/predict", probability, unseen);
    return { predictions, model: modelInfo };
  });

  app.post("/predict.csv", async (req, reply) => {
    if (typeof req.body !== "string")
      return reply.code(415).send({ error: "send the CSV text as the body with Content-Type: text/csv" });
    const r = await scoreCsv(model, req.body, info.log !== undefined);
    rowsScored.set(req, r.rows);
    const time = new Date();
    for (const b of r.batches) {
      await info.log?.append(csvRows(b.table), b.probability, model.threshold, time);
      info.metrics.scored("/predict.csv", b.probability, b.unseen);
    }
    const file = `${info.name.replace(/[^\w.-]+/g, "-")}-scores.csv`;
    return reply
      .type("text/csv; charset=utf-8")
      .header("content-disposition", `attachment; filename="${file}"`)
      .header("x-churnkit-rows", String(r.rows))
      .header("x-churnkit-unseen", String(r.unseen))
      .send(r.csv);
  });

  app.get("/", async (_req, reply) => reply.type("text/html; charset=utf-8").headers(PAGE_HEADERS).send(PAGE_HTML));
  app.get("/app.js", async (_req, reply) =>
    reply.type("text/javascript; charset=utf-8").headers(PAGE_HEADERS).send(PAGE_JS),
  );
  app.get("/style.css", async (_req, reply) =>
    reply.type("text/css; charset=utf-8").headers(PAGE_HEADERS).send(PAGE_CSS),
  );
}
