/**
 * GET /metrics: the server's counters in Prometheus text format (prom-client). Each server has a
 * {@link Registry} of its own, never prom-client's global one, so two servers in one process (tests,
 * or an app that serves two models) never add to each other's counts.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { UnseenCategory } from "../data/preprocess.js";

/** Upper bounds of the churn probability histogram: 0.05, 0.10, …, 1 (exact decimals: i / 20). */
export const PROBABILITY_BUCKETS: readonly number[] = Array.from({ length: 20 }, (_, i) => (i + 1) / 20);

/** Upper bounds (seconds) of the request latency histogram: 1 ms to 10 s. */
export const LATENCY_BUCKETS: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** The route label of a request that matched no route (one label, whatever the path: bounded cardinality). */
export const UNMATCHED = "unmatched";

/** One server's metrics, in a registry of its own. */
export class ServerMetrics {
  /** The registry GET /metrics renders. */
  readonly registry = new Registry();
  /** Requests answered, by method, route (the route's pattern, not the raw URL) and status code. */
  readonly requests = new Counter({
    name: "churnkit_http_requests_total",
    help: "HTTP requests answered, by method, route and status code",
    labelNames: ["method", "route", "status"] as const,
    registers: [this.registry],
  });
  /** Time from receiving a request to its answer, by method and route. */
  readonly latency = new Histogram({
    name: "churnkit_http_request_duration_seconds",
    help: "Time from receiving a request to sending its answer, in seconds, by method and route",
    labelNames: ["method", "route"] as const,
    buckets: [...LATENCY_BUCKETS],
    registers: [this.registry],
  });
  /** Rows scored, by route (POST /predict and POST /predict.csv). */
  readonly rows = new Counter({
    name: "churnkit_rows_scored_total",
    help: "Rows scored, by route",
    labelNames: ["route"] as const,
    registers: [this.registry],
  });
  /** Values of a categorical input that training never saw, by column. */
  readonly unseen = new Counter({
    name: "churnkit_unseen_categories_total",
    help: "Categories training never saw, scored by the model's unseen-category policy, by input column",
    labelNames: ["column"] as const,
    registers: [this.registry],
  });
  /** The churn probabilities served, one observation per scored row. */
  readonly probability = new Histogram({
    name: "churnkit_churn_probability",
    help: "Churn probabilities served, one per scored row (buckets 0.05 wide)",
    buckets: [...PROBABILITY_BUCKETS],
    registers: [this.registry],
  });

  /** `processMetrics`: also prom-client's default process metrics (CPU, memory, event loop lag) in this registry. */
  constructor(processMetrics = false) {
    if (processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** Count the rows one request scored: rows by route, unseen categories by column, and each probability. */
  scored(route: string, probability: ArrayLike<number>, unseen: readonly UnseenCategory[]): void {
    this.rows.inc({ route }, probability.length);
    const byColumn = new Map<string, number>();
    for (const u of unseen) byColumn.set(u.column, (byColumn.get(u.column) ?? 0) + 1);
    for (const [column, n] of byColumn) this.unseen.inc({ column }, n);
    for (let i = 0; i < probability.length; i++) this.probability.observe(probability[i]!);
  }
}

/** The route label of a request: its route's pattern, or {@link UNMATCHED}. */
const routeOf = (req: FastifyRequest): string => (req.is404 ? UNMATCHED : (req.routeOptions.url ?? UNMATCHED));

/**
 * Count every answered request (401s and 404s included) and add GET /metrics. The route needs the token
 * when the server has one (set Prometheus's `authorization` credentials), like every route but /health and the page.
 */
export function registerMetrics(app: FastifyInstance, metrics: ServerMetrics): void {
  app.addHook("onResponse", async (req, reply) => {
    const route = routeOf(req);
    metrics.requests.inc({ method: req.method, route, status: String(reply.statusCode) });
    metrics.latency.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });
  app.get("/metrics", async (_req, reply) =>
    reply
      .type(metrics.registry.contentType)
      .header("cache-control", "no-cache")
      .send(await metrics.registry.metrics()),
  );
}
