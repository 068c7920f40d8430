/**
 * `churnkit serve`: load a model and serve it over HTTP until SIGTERM/SIGINT. Startup
 * problems (no model, corrupt model, port taken, bad address) are user errors: one line,
 * exit 2, and nothing is left listening. Shutdown lets in-flight requests finish and flushes
 * the request log. SIGHUP (sent by logrotate after it moved the log) starts a new request log
 * at the same path and keeps serving; without a handler Node would exit at once, so one is installed before the
 * model loads (a SIGHUP then is noted and ignored).
 */
import { join } from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import { UserError } from "../utils/errors.js";
import { jsonLogger } from "../utils/logging.js";

function parsePort(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || n > 65535)
    throw new InvalidArgumentError(`--port must be a whole number from 0 to 65535, got "${v}"`);
  return n;
}

interface ServeArgs {
  model: string;
  host: string;
  port: number;
  token?: string;
  maxBody: string;
  bodyTimeout: string;
  shutdownGrace: string;
  maxExplainRows: string;
  logRequests?: string;
}

/** A listen error as one line that says what to do. */
function listenError(e: unknown, host: string, port: number): Error {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === "EADDRINUSE")
    return new UserError(`port ${port} is already in use on ${host}; choose another with --port`);
  if (code === "EACCES")
    return new UserError(
      `port ${port} on ${host} needs more privileges than this user has; choose a port above 1023 with --port`,
    );
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND" || code === "EAI_AGAIN")
    return new UserError(`cannot listen on host "${host}": no such address on this machine; check --host`);
  return e instanceof Error ? e : new Error(String(e));
}

/** Register `churnkit serve`: an HTTP server that scores JSON rows with a saved model. */
export function serveCommand(program: Command): void {
  program
    .command("serve")
    .description(
      "serve the model over HTTP: POST /predict (JSON), POST /predict.csv, a scoring page at /, GET /health, /model, /schema, /openapi.json, /metrics (Prometheus)",
    )
    .requiredOption("--model <dir>", "model directory")
    .option("--host <host>", "address to listen on; the default serves this machine only", "127.0.0.1")
    .option("--port <n>", "port to listen on (0: any free port)", parsePort, 8080)
    .option(
      "--token <t>",
      "require the header Authorization: Bearer <t> on every route but /health and the page (default: env CHURNKIT_TOKEN)",
    )
    .option("--max-body <size>", "largest request body, e.g. 1mb, 512kb (larger bodies get 413)", "1mb")
    .option(
      "--body-timeout <duration>",
      "longest time to receive a whole request, e.g. 30s, 500ms, 2m (slower requests get 408 and are closed)",
      "30s",
    )
    .option(
      "--max-explain-rows <n>",
      "most rows one request may ask to explain (explanations cost far more than scores; more get 400)",
      "100",
    )
    .option(
      "--log-requests <file>",
      'append every scored row to FILE as JSON Lines: {"time","row","churn_probability","churn"} (for churnkit drift --data FILE); never truncated; SIGHUP starts a new file at the path (log rotation)',
    )
    .option(
      "--shutdown-grace <duration>",
      "on SIGTERM/SIGINT, longest wait for in-flight responses to finish; past it, exit 1",
      "30s",
    )
    .action(async (o: ServeArgs) => {
      // Node exits on a SIGHUP that has no handler: one arriving while the model loads (logrotate's, a closed
      // terminal) would kill the server before it serves. Until the server's own handler takes over (below), it is
      // noted and ignored: no request log is open yet to reopen. Logged as the server logs (JSON lines on stderr).
      const startLog = jsonLogger(process.env.CHURNKIT_LOG_LEVEL ?? "info");
      const loadingHangup = () =>
        startLog.warn("SIGHUP while loading the model: nothing to reopen yet; still starting");
      process.on("SIGHUP", loadingHangup);
      // At debug: a user error below (no model, a port taken) stays the one line on stderr.
      startLog.debug({ model: o.model }, `loading model ${o.model}`);
      // Loaded here, not at the top, so that other subcommands do not pay for fastify.
      const { loadModel } = await import("../artifact/churn-model.js");
      const { createServer, parseDuration, parseSize, reopenRequestLog, showDuration } =
        await import("../serve/server.js");
      if (parseSize(o.maxBody) === undefined)
        throw new UserError(`--max-body must be a size such as 1mb, 512kb or a byte count, got "${o.maxBody}"`);
      for (const [flag, v] of [
        ["--body-timeout", o.bodyTimeout],
        ["--shutdown-grace", o.shutdownGrace],
      ] as const)
        if (parseDuration(v) === undefined)
          throw new UserError(`${flag} must be a duration such as 30s, 500ms or 2m, got "${v}"`);
      const maxExplainRows = Number(o.maxExplainRows);
      if (!/^\d+$/.test(o.maxExplainRows) || !(maxExplainRows >= 1))
        throw new UserError(`--max-explain-rows must be a whole number of at least 1, got "${o.maxExplainRows}"`);
      const grace = parseDuration(o.shutdownGrace)!;
      if (o.logRequests !== undefined) {
        // drift reads the log by its extension: another name would be read as CSV (or append JSON to a data file).
        if (!/\.(jsonl|ndjson)$/i.test(o.logRequests))
          throw new UserError(
            `--log-requests ${o.logRequests}: name the request log .jsonl (or .ndjson), the JSON Lines file churnkit drift reads`,
          );
        const { checkOutputFile, MODEL_FILES } = await import("../utils/output.js");
        checkOutputFile(o.logRequests, {
          flag: "--log-requests",
          inputs: MODEL_FILES.map((f) => ({
            flag: "--model",
            path: join(o.model, f),
          })),
        });
      }
      const token = o.token ?? process.env.CHURNKIT_TOKEN ?? "";
      const model = await loadModel(o.model);
      const name =
        o.model
          .replace(/[\\/]+$/, "")
          .split(/[\\/]/)
          .pop() || "churn model";
      const app = createServer(model, {
        name,
        token,
        maxBody: o.maxBody,
        bodyTimeout: o.bodyTimeout,
        maxExplainRows,
        logLevel: process.env.CHURNKIT_LOG_LEVEL ?? "info",
        logRequests: o.logRequests,
        processMetrics: true,
      });
      try {
        await app.listen({ host: o.host, port: o.port });
      } catch (e) {
        await app.close().catch(() => undefined);
        throw listenError(e, o.host, o.port);
      }
      const local = o.host === "127.0.0.1" || o.host === "localhost" || o.host === "::1";
      if (!local && !token)
        app.log.warn(
          `listening on ${o.host} without a token: anyone who can reach this address can score; set --token or CHURNKIT_TOKEN`,
        );
      app.log.info(
        { model: o.model, family: model.family, addresses: app.addresses() },
        `serving ${name} (${model.family}); stop with Ctrl-C or SIGTERM`,
      );

      await new Promise<void>((resolve) => {
        let stopping = false;
        const stop = (signal: NodeJS.Signals) => {
          if (stopping) {
            app.log.warn(`${signal} again: stopping now`);
            process.exit(1);
          }
          stopping = true;
          app.log.info(`${signal}: finishing in-flight requests, then stopping`);
          const force = setTimeout(() => {
            app.log.error(
              `in-flight requests did not finish within ${showDuration(grace)} (--shutdown-grace); stopping anyway`,
            );
            process.exit(1);
          }, grace);
          force.unref();
          app.close().then(
            () => {
              clearTimeout(force);
              app.log.info("stopped");
              resolve();
            },
            () => process.exit(1),
          );
        };
        const hangup = () => {
          if (stopping) return;
          reopenRequestLog(app).then(
            (path) =>
              app.log.info(
                path === undefined
                  ? "SIGHUP: no request log to reopen (no --log-requests); still serving"
                  : `SIGHUP: request log reopened at ${path}; still serving`,
              ),
            (e: unknown) =>
              app.log.error(
                `SIGHUP: ${e instanceof Error ? e.message : String(e)}; still serving, the request log unchanged`,
              ),
          );
        };
        process.on("SIGTERM", stop);
        process.on("SIGINT", stop);
        process.off("SIGHUP", loadingHangup);
        process.on("SIGHUP", hangup);
      });
      // Nothing should keep the process alive now; if something does, do not hang.
      setTimeout(() => process.exit(process.exitCode ?? 0), 2000).unref();
    });
}
