/**
 * `churnkit export --format sql`: the model as one portable SQL SELECT over a relation named `input` (see
 * query.ts). Derived features are rebuilt from DuckDB's parse of each, which takes the (asynchronous) sandbox:
 * {@link prepareSql} parses them first, and {@link sqlFormat}'s `write` reads the parses it keeps.
 */
import type { ModelArtifact } from "../../artifact/artifact-type.js";
import { parseDerived, type Node } from "../../features/expression.js";
import { withSandbox } from "../../features/sandbox.js";
import { show, UserError } from "../../utils/errors.js";
import type { ExportFormat } from "../format.js";
import { scoringQuery } from "./query.js";

/** DuckDB's parse of each derived expression prepared so far, by its text (a parse depends on the text alone). */
const parses = new Map<string, Node>();

/** Parse the artifact's derived features (checking them against the allow-list), for {@link sqlFormat}. */
export async function prepareSql(a: ModelArtifact): Promise<void> {
  const todo = a.derived.filter((d) => !parses.has(d.sql));
  if (todo.length === 0) return;
  await withSandbox(async (con) => {
    for (const d of todo) {
      const p = await parseDerived(con, d.sql);
      if (!p.ok)
        throw new UserError(
          `model.json: derived feature ${show(d.name, 200)} ${"uses" in p ? `uses ${p.uses}, which is not allowed` : `is not a valid SQL expression (${p.invalid})`}; retrain the model`,
        );
      parses.set(d.sql, p.tree);
    }
  });
}

/** The SQL export format. */
export const sqlFormat: ExportFormat = {
  name: "sql",
  extension: ".sql",
  write(a) {
    const trees = a.derived.map((d) => {
      const t = parses.get(d.sql);
      if (!t) throw new Error("sql export: call prepareSql(artifact) before write (derived features are parsed there)");
      return t;
    });
    return scoringQuery(a, trees);
  },
};
