/**
 * The identifier value rule's order test for a file typed by DuckDB: only the columns that could be identifiers by
 * value (integers unique per row, every one of many digits) are read, as numbers, with the target's labels.
 */
import { orderRelation, type OrderRelation } from "./identifier.js";
import { valueRuleCandidate, type ColumnType } from "./schema.js";
import type { TrainingSource } from "./source.js";
import { encodeTarget, resolveTarget } from "./target.js";

/**
 * The order relation of every value-rule candidate column of `source` (as `InferOptions.orderRelation` takes it):
 * null for every column when there is no usable target (schema inference never fails on the target; training
 * does, later, with its own message). Columns the user named (target, dropped, declared) are skipped.
 */
export async function orderRelations(
  source: TrainingSource,
  o: { target?: string; positive?: string; skip: Iterable<string>; types?: Record<string, ColumnType> },
): Promise<(column: string) => OrderRelation | null> {
  const skip = new Set(o.skip);
  const candidates = source.columns.filter(
    (c) =>
      c !== o.target &&
      !skip.has(c) &&
      !Object.prototype.hasOwnProperty.call(o.types ?? {}, c) &&
      valueRuleCandidate(source.facts(c), source.rows),
  );
  const out = new Map<string, OrderRelation>();
  if (candidates.length > 0 && o.target !== undefined && source.columns.includes(o.target)) {
    let y: ReturnType<typeof encodeTarget> | null;
    try {
      const labels = await source.labels(o.target);
      y = encodeTarget(labels, resolveTarget(labels, o.target, o.positive));
    } catch {
      y = null;
    }
    if (y) {
      const typed = await source.typed(candidates.map((name) => ({ name, type: "numeric" as const })));
      for (const c of candidates) out.set(c, orderRelation(typed.columns.get(c)!.values as Float64Array, y));
    }
  }
  return (column) => out.get(column) ?? null;
}
