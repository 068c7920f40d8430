/**
 * The end of a stream is checked: if DuckDB ends it early (as it does when another query runs on
 * its connection), predictFile fails, writes nothing, and does not report fewer rows as success.
 * The fault is injected by running a query on the stream's own connection after its first chunk.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { loadModel, type ChurnModel } from "../../src/artifact/churn-model.js";
import { predictFile } from "../../src/io/predict.js";
import { isUserError } from "../../src/utils/errors.js";
import { errorOf, tmp } from "../helpers.js";
import { MANY, derivedModel, telcoFile } from "../rows.js";

const fault = vi.hoisted(() => ({ on: false }));

vi.mock("../../src/data/duckdb.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/data/duckdb.js")>();
  /** A connection whose streams get a query run on their connection after the first chunk. */
  const sabotaged = (con: DuckDBConnection): DuckDBConnection =>
    new Proxy(con, {
      get(target, key) {
        if (key !== "stream" || !fault.on) {
          const v: unknown = Reflect.get(target, key, target);
          return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        }
        return async (sql: string) => {
          const result = await target.stream(sql);
          let fetched = 0;
          return new Proxy(result, {
            get(r, k) {
              if (k !== "fetchChunk") {
                const v: unknown = Reflect.get(r, k, r);
                return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(r) : v;
              }
              return async () => {
                if (fetched++ === 1) await target.run("SELECT 1");
                return r.fetchChunk();
              };
            },
          });
        };
      },
    });
  return {
    ...real,
    withConnection: <T>(fn: (con: DuckDBConnection) => Promise<T>) => real.withConnection((con) => fn(sabotaged(con))),
  };
});

let model: ChurnModel;
beforeAll(async () => {
  model = await loadModel(await derivedModel("logreg"));
}, 60_000);

describe("predictFile checks that the stream reached the end of the input", () => {
  it("fails (not a user error) and writes nothing when DuckDB ends the stream early", async () => {
    const input = telcoFile(MANY);
    const dir = tmp();
    const out = join(dir, "scores.csv");
    fault.on = true;
    const e = await errorOf(() => predictFile(model, input, out)).finally(() => (fault.on = false));
    expect(e.message).toMatch(
      new RegExp(
        `^${input.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: scored \\d+ of its ${MANY} rows \\(the input stream ended early\\); .*scores\\.csv was not written$`,
      ),
    );
    expect(Number(/scored (\d+)/.exec(e.message)![1])).toBeLessThan(MANY);
    expect(isUserError(e)).toBe(false); // exit 1: churnkit failed, the input is fine
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  }, 60_000);

  it("scores the same file completely without the fault", async () => {
    const r = await predictFile(model, telcoFile(MANY), join(tmp(), "scores.csv"));
    expect(r.rows).toBe(MANY);
  }, 60_000);
});
