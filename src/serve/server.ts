/**
 * The model server: a fastify instance that scores JSON rows and CSV files with one
 * {@link ChurnModel}, describes the model and its input (JSON Schema, OpenAPI), and serves a
 * scoring web page. `createServer` builds it without listening; `churnkit serve` listens.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import Fastify, {
  LogController,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from "fastify";
import type { ChurnModel } from "../artifact/churn-model.js";
import { isUserError } from "../utils/errors.js";
import { closeWith, drainOnClose, timeoutAnswer } from "./lifecycle.js";
import { registerMetrics, ServerMetrics } from "./metrics.js";
import { RequestLog } from "./request-log.js";
import { registerRoutes, rowsOf } from "./routes.js";
import { requestMessage } from "./validate.js";

/** Options of {@link createServer}. */
export interface ServeOptions {
  /** Name shown by GET /model and on the page. Default: "churn model". */
  name?: string;
  /** When set, every route but GET /health and the page needs `Authorization: Bearer <token>`. */
  token?: string;
  /** Largest request body: bytes, or text like "1mb", "512kb". Default "1mb". */
  maxBody?: number | string;
  /**
   * Longest time to receive a whole request (headers and body): milliseconds, or text like "30s",
   * "500ms", "2m". A slower request gets 408 and its connection is closed. Default "30s".
   */
  bodyTimeout?: number | string;
  /**
   * Most rows one request may ask to explain (explanations cost far more than scores, TreeSHAP
   * most of all, and run on the event loop). A request with more gets 400. Default 100.
   */
  maxExplainRows?: number;
  /** Log level of the one-line-per-request log (pino, JSON to stderr). Default: CHURNKIT_LOG_LEVEL, else "silent". */
  logLevel?: string;
  /**
   * Append every scored row to this file as JSON Lines (one `RequestLogLine` each, see serve/request-log.ts; the file is created
   * when absent and never truncated). Closing the server flushes it. Default: no log.
   */
  logRequests?: string;
  /** Also export prom-client's default process metrics (CPU, memory, event loop) at GET /metrics. Default false. */
  processMetrics?: boolean;
}

/** The request log of each server that has one (for {@link reopenRequestLog}). */
const requestLogs = new WeakMap<FastifyInstance, RequestLog>();

/**
 * Start a new request log file at the `logRequests` path (after log rotation moved the file away: SIGHUP in
 * `churnkit serve`), see RequestLog.reopen. Resolves to the path, or undefined when the server logs no requests.
 */
export async function reopenRequestLog(app: FastifyInstance): Promise<string | undefined> {
  const log = requestLogs.get(app);
  if (!log) return undefined;
  await log.reopen();
  return log.path;
}

/** Default of {@link ServeOptions.maxExplainRows}. */
export const DEFAULT_MAX_EXPLAIN_ROWS = 100;

const UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  kb: 1024,
  k: 1024,
  mb: 1024 ** 2,
  m: 1024 ** 2,
  gb: 1024 ** 3,
  g: 1024 ** 3,
};

/** Parse a size such as "1mb", "512kb", "2.5MB" or 1048576 into bytes; undefined when not a size. */
export function parseSize(v: number | string): number | undefined {
  if (typeof v === "number") return Number.isInteger(v) && v > 0 ? v : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(v);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) return undefined;
  const bytes = Math.floor(Number(m[1]) * unit);
  return bytes > 0 ? bytes : undefined;
}

const DURATION_UNITS: Record<string, number> = { ms: 1, "": 1000, s: 1000, m: 60_000, min: 60_000 };

/** Parse a duration such as "30s", "500ms", "2m", "1.5s" or a number of milliseconds; undefined when not one. Bare numbers in text are seconds. */
export function parseDuration(v: number | string): number | undefined {
  if (typeof v === "number") return Number.isInteger(v) && v > 0 ? v : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(v);
  const unit = m ? DURATION_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) return undefined;
  const ms = Math.round(Number(m[1]) * unit);
  return ms > 0 ? ms : undefined;
}

/** Human-readable duration for messages. */
export const showDuration = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

/** Human-readable byte count for messages. */
export const showSize = (n: number): string =>
  n >= 1024 ** 2 && n % 1024 ** 2 === 0
    ? `${n / 1024 ** 2} MB`
    : n >= 1024 && n % 1024 === 0
      ? `${n / 1024} KB`
      : `${n} bytes`;

/** One log line per request, with its latency; fastify's two default lines are off. */
class OneLineLog extends LogController {
  override incomingRequest(): void {}
  override routeNotFound(): void {}
  override defaultErrorLog(): void {}
  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 100) / 100,
      rows: rowsOf(request),
    };
    if (error) reply.log.error({ ...line, err: error }, "request failed");
    else reply.log.info(line, "request");
  }
}

const digest = (s: string): Buffer => createHash("sha256").update(s).digest();

/** A constant-time check of `Authorization: Bearer <token>`. */
function authorized(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? "");
  return m !== null && timingSafeEqual(digest(m[1]!.trim()), digest(token));
}

/** Routes that never need the token: liveness and the page's own files (the page asks for the token itself); not /metrics. */
const OPEN = new Set(["/health", "/", "/app.js", "/style.css"]);

/** The error body for a fastify or user error: one line, never a stack trace. */
function errorReply(e: unknown, maxBody: number): { status: number; message: string } {
  if (isUserError(e)) return { status: 400, message: requestMessage(e.message) };
  const err = e as FastifyError;
  const status = err.statusCode ?? 500;
  switch (err.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return {
        status: 413,
        message: `request body is larger than this server's limit of ${showSize(maxBody)} (churnkit serve --max-body); send fewer rows per request`,
      };
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return {
        status: 415,
        message: "unsupported Content-Type: send application/json to /predict, text/csv to /predict.csv",
      };
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return { status: 400, message: 'empty body: send a JSON customer object, an array of them, or {"rows": [...]}' };
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return { status: 400, message: "body is not valid JSON; check its quotes, commas and brackets" };
  }
  if (status >= 400 && status < 500) return { status, message: err.message };
  return { status: 500, message: "internal error; see the server log" };
}

/**
 * Build the server for `model`: routes registered, not listening (`app.inject` works at once;
 * `app.listen` serves). Close it with `await app.close()`: it stops accepting connections, and in-flight
 * responses finish (flushed to the client) first, then the request log is flushed and closed; bound the wait
 * yourself (a client that never reads holds it). Its metrics (GET /metrics) are its own, never shared with
 * another server of the same process.
 */
export function createServer(model: ChurnModel, options: ServeOptions = {}): FastifyInstance {
  const maxBody = parseSize(options.maxBody ?? "1mb");
  if (maxBody === undefined)
    throw new TypeError(`maxBody must be a size such as "1mb" or a byte count, got ${JSON.stringify(options.maxBody)}`);
  const timeout = parseDuration(options.bodyTimeout ?? "30s");
  if (timeout === undefined)
    throw new TypeError(
      `bodyTimeout must be a duration such as "30s" or a number of milliseconds, got ${JSON.stringify(options.bodyTimeout)}`,
    );
  const maxExplainRows = options.maxExplainRows ?? DEFAULT_MAX_EXPLAIN_ROWS;
  if (!Number.isInteger(maxExplainRows) || maxExplainRows < 1)
    throw new TypeError(`maxExplainRows must be a whole number of at least 1, got ${JSON.stringify(maxExplainRows)}`);
  const level = options.logLevel ?? process.env.CHURNKIT_LOG_LEVEL ?? "silent";
  const app = Fastify({
    bodyLimit: maxBody,
    // Node checks the timeouts every connectionsCheckingInterval (default 30 s): check often enough that a slow
    // request is answered close to its limit.
    requestTimeout: timeout,
    http: { connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(timeout / 4))) },
    clientErrorHandler: timeoutAnswer(
      `request not received within ${showDuration(timeout)} (this server's limit, churnkit serve --body-timeout); send the whole body at once`,
    ),
    logger: level === "silent" ? false : { level, base: undefined, stream: process.stderr },
    logController: new OneLineLog(),
    return503OnClosing: true,
    forceCloseConnections: "idle",
  });
  // Headers come before the body, within the same limit (Node's default alone would be 60 s).
  app.server.headersTimeout = timeout;
  drainOnClose(app.server);
  const token = options.token || undefined;

  if (token) {
    app.addHook("onRequest", async (req, reply) => {
      const path = req.url.split("?")[0]!;
      if (OPEN.has(path) && req.method === "GET") return;
      if (!authorized(req.headers.authorization, token)) {
        await reply
          .code(401)
          .header("WWW-Authenticate", 'Bearer realm="churnkit"')
          .send({ error: "missing or wrong token: send the header Authorization: Bearer <token>" });
      }
    });
  }

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const { status, message } = errorReply(err, maxBody);
    if (status >= 500) req.log.error({ err }, "internal error");
    return reply.code(status).send({ error: message });
  });
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .send({ error: `no route ${req.method} ${req.url.split("?")[0]}; the routes are listed at GET /openapi.json` }),
  );

  const metrics = new ServerMetrics(options.processMetrics ?? false);
  registerMetrics(app, metrics);
  // Opened last, once every option is known good: a failed createServer leaves no open file behind.
  const log = options.logRequests === undefined ? undefined : RequestLog.open(options.logRequests);
  if (log) {
    closeWith(app, () => log.close());
    requestLogs.set(app, log);
  }
  registerRoutes(app, model, {
    name: options.name ?? "churn model",
    auth: token !== undefined,
    maxExplainRows,
    metrics,
    log,
  });
  return app;
}
