/**
 * The allow-list of derived features. A derived feature is ONE row-wise, deterministic scalar
 * expression over input columns. DuckDB parses the exact statement that will run
 * (json_serialize_sql), and the parse tree is walked: anything not on the allow-list below
 * (statements, subqueries, table functions, window and aggregate functions, random or clock
 * functions, ...) is refused, so a model file or config can never read, write or run anything.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { duckMessage } from "../data/duckdb.js";

/** The temporary table derived expressions are evaluated over (one per sandbox connection). */
export const DERIVED_TABLE = "ck_input";
/**
 * Column holding the input row number: a name no one gives a column, so that it never collides
 * with an input column (derived.ts refuses an input column of this name, in any case).
 */
export const ROW_COLUMN = "__churnkit_row_number__";

/** Longest derived expression accepted, in characters (the longest sensible one is a few hundred). */
export const MAX_EXPRESSION_LENGTH = 10_000;

/** The statement that evaluates a derived expression; it is checked and run as this exact text. */
export const derivedStatement = (expr: string): string =>
  `SELECT (${expr}) AS v FROM ${DERIVED_TABLE} ORDER BY ${ROW_COLUMN}`;

/** Scalar functions allowed by name: deterministic and row-wise. */
export const ALLOWED_FUNCTIONS: ReadonlySet<string> = new Set([
  // math
  ...["abs", "round", "floor", "ceil", "ceiling", "trunc", "sign", "ln", "log", "log2", "log10", "exp", "sqrt", "cbrt"],
  ...["power", "pow", "mod", "greatest", "least", "isnan", "isinf", "isfinite"],
  // text
  ...["lower", "upper", "lcase", "ucase", "trim", "ltrim", "rtrim", "length", "strlen", "substr", "substring"],
  ...["concat", "concat_ws", "replace", "starts_with", "ends_with", "prefix", "suffix", "contains", "strpos"],
  ...["regexp_matches", "regexp_full_match", "regexp_replace", "regexp_extract", "left", "right", "reverse"],
  // null handling
  ...["nullif", "ifnull"],
  // dates (of DATE and TIMESTAMP values; nothing that reads the clock or the time zone)
  ...["year", "month", "day", "dayofmonth", "dayofweek", "isodow", "dayofyear", "week", "weekofyear", "quarter"],
  ...["hour", "minute", "second", "epoch", "date_part", "datepart", "date_diff", "datediff", "date_sub", "datesub"],
  ...["date_trunc", "datetrunc", "date_add", "make_date", "make_timestamp", "last_day", "monthname", "dayname"],
  ...["strftime", "to_years", "to_months", "to_weeks", "to_days", "to_hours", "to_minutes", "to_seconds"],
]);

/** Operators allowed (DuckDB's names): arithmetic, concatenation, LIKE / ILIKE / GLOB on text. */
export const ALLOWED_OPERATORS: ReadonlySet<string> = new Set([
  "+",
  "-",
  "*",
  "/",
  "//",
  "%",
  "^",
  "**",
  "||",
  "~~",
  "!~~",
  "~~*",
  "!~~*",
  "~~~",
]);

/** Non-function operator nodes allowed: NOT, IS [NOT] NULL, [NOT] IN (constants), COALESCE. */
const ALLOWED_OPERATOR_NODES = new Set([
  "OPERATOR_NOT",
  "OPERATOR_IS_NULL",
  "OPERATOR_IS_NOT_NULL",
  "COMPARE_IN",
  "COMPARE_NOT_IN",
  "OPERATOR_COALESCE",
]);

/** Types a CAST may produce; none depends on the session (no time zones, no user types). */
export const ALLOWED_CASTS: ReadonlySet<string> = new Set([
  ...["BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER"],
  ...["UBIGINT", "FLOAT", "DOUBLE", "DECIMAL", "VARCHAR", "DATE", "TIME", "TIMESTAMP", "INTERVAL"],
]);

/** Names DuckDB reads as the clock or the session when no column has them (they parse as columns). */
const SESSION_NAMES = new Set([
  ...["current_date", "current_time", "current_timestamp", "localtime", "localtimestamp", "current_user"],
  ...["session_user", "user", "current_role", "current_catalog", "current_schema"],
]);

/** What parsing found: the columns an expression uses, or what it uses that is not allowed. */
export type Parsed =
  { ok: true; columns: string[]; tree: Node } | { ok: false; uses: string } | { ok: false; invalid: string };

/** Catalog and schema names that hold DuckDB's built-in functions. */
const BUILTIN_SCHEMAS = new Set(["", "main", "system", "pg_catalog"]);

/** A node of DuckDB's parse (json_serialize_sql). */
export type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => v !== null && typeof v === "object" && !Array.isArray(v);
const nodes = (v: unknown): Node[] => (Array.isArray(v) ? v.filter(isNode) : []);

/** The parse of `sql` as DuckDB's JSON, or DuckDB's own complaint. */
async function serialize(con: DuckDBConnection, sql: string): Promise<Node> {
  const r = await con.runAndReadAll("SELECT json_serialize_sql($1::VARCHAR)", [sql]);
  const doc: unknown = JSON.parse(String(r.getRowsJS()[0]![0]));
  if (!isNode(doc)) throw new Error("json_serialize_sql returned no object");
  return doc;
}

/** The statement with the select list and source positions removed: the "shape" around the expression. */
function shape(stmt: Node): string {
  const node = isNode(stmt.node) ? { ...stmt.node, select_list: [] } : stmt;
  return JSON.stringify(node, (k, v: unknown) => (k === "query_location" ? undefined : v));
}

let template: Promise<string> | undefined;

// A parse depends on the text alone, and predict checks the same few expressions for every batch.
const memo = new Map<string, Parsed>();

/** Parse one derived expression and check it against the allow-list (columns are checked by the caller). */
export async function parseDerived(con: DuckDBConnection, expr: string): Promise<Parsed> {
  const known = memo.get(expr);
  if (known) return known;
  const p = await parseUncached(con, expr);
  if (memo.size >= 1000) memo.clear();
  if (!("invalid" in p)) memo.set(expr, p); // an invalid one may be a passing fault
  return p;
}

async function parseUncached(con: DuckDBConnection, expr: string): Promise<Parsed> {
  let doc: Node;
  let expected: string;
  try {
    template ??= serialize(con, derivedStatement("NULL")).then((d) => shape(nodes(d.statements)[0]!));
    expected = await template.catch((e: unknown) => {
      template = undefined; // try again next time
      throw e;
    });
    doc = await serialize(con, derivedStatement(expr));
  } catch (e) {
    return { ok: false, invalid: duckMessage(e) };
  }
  if (doc.error === true) {
    const msg = String(doc.error_message).split("\n")[0]!;
    // The statement starts with SELECT, so another kind of statement can only come after a ";".
    if (/only select statements/i.test(msg)) return { ok: false, uses: "more than one SQL statement" };
    return { ok: false, invalid: msg };
  }
  const stmts = nodes(doc.statements);
  if (stmts.length !== 1) return { ok: false, uses: "more than one SQL statement" };
  const node = stmts[0]!.node;
  if (shape(stmts[0]!) !== expected) return { ok: false, uses: "SQL clauses around the expression" };
  const list = isNode(node) ? nodes(node.select_list) : [];
  if (list.length !== 1) return { ok: false, uses: "more than one expression" };
  const columns: string[] = [];
  const uses = walk(list[0]!, columns);
  return uses === undefined ? { ok: true, columns, tree: list[0]! } : { ok: false, uses };
}

/** A literal, a cast literal or a negated literal (what IN lists may hold). */
function isConstant(n: Node): boolean {
  if (n.class === "CONSTANT") return true;
  if (n.class === "CAST" && isNode(n.child)) return isConstant(n.child);
  if (n.class === "FUNCTION" && n.function_name === "-") {
    const c = nodes(n.children);
    return c.length === 1 && isConstant(c[0]!);
  }
  return false;
}

const first = (xs: Node[], columns: string[]): string | undefined => {
  for (const x of xs) {
    const u = walk(x, columns);
    if (u !== undefined) return u;
  }
  return undefined;
};

/** The name of the first table function anywhere inside a subquery (read_text, glob, ...). */
function tableFunction(v: unknown): string | undefined {
  if (Array.isArray(v)) {
    for (const x of v) {
      const f = tableFunction(x);
      if (f) return f;
    }
    return undefined;
  }
  if (!isNode(v)) return undefined;
  if (v.type === "TABLE_FUNCTION" && isNode(v.function)) return String(v.function.function_name);
  for (const x of Object.values(v)) {
    const f = tableFunction(x);
    if (f) return f;
  }
  return undefined;
}

/** Walk one expression node: undefined when allowed (its column names pushed), else what is not allowed. */
function walk(n: Node, columns: string[]): string | undefined {
  const kids = nodes(n.children);
  switch (n.class) {
    case "CONSTANT":
      return undefined;
    case "COLUMN_REF": {
      const names = Array.isArray(n.column_names) ? n.column_names.map(String) : [];
      if (names.length !== 1) return names.join(".");
      columns.push(names[0]!);
      return undefined;
    }
    case "FUNCTION": {
      const name = String(n.function_name).toLowerCase();
      // Only built-ins exist in the sandbox; DuckDB itself qualifies some (main.list_value for [...]).
      const qualified = [n.catalog, n.schema].filter((x) => typeof x === "string" && !BUILTIN_SCHEMAS.has(x));
      if (qualified.length > 0) return `${qualified.join(".")}.${name}`;
      const allowed = n.is_operator === true ? ALLOWED_OPERATORS.has(name) : ALLOWED_FUNCTIONS.has(name);
      const orders = isNode(n.order_bys) ? nodes(n.order_bys.orders) : [];
      // DISTINCT, FILTER and ORDER BY inside a call only mean something for aggregates.
      if (
        !allowed ||
        n.distinct === true ||
        (n.filter !== null && n.filter !== undefined) ||
        orders.length > 0 ||
        n.export_state === true
      )
        return name === "count_star" ? "count" : name;
      return first(kids, columns);
    }
    case "COMPARISON":
      return first(nodes([n.left, n.right]), columns);
    case "CONJUNCTION":
      return first(kids, columns);
    case "OPERATOR": {
      const type = String(n.type);
      if (!ALLOWED_OPERATOR_NODES.has(type)) return `the ${type.toLowerCase().replace(/_/g, " ")} operator`;
      if ((type === "COMPARE_IN" || type === "COMPARE_NOT_IN") && !kids.slice(1).every(isConstant))
        return "IN with a list that is not constants";
      return first(kids, columns);
    }
    case "CASE": {
      const parts: Node[] = [];
      // eslint-disable-next-line no-restricted-syntax -- the few branches of one CASE
      for (const c of nodes(n.case_checks)) parts.push(...nodes([c.when_expr, c.then_expr])); // the few branches of one CASE
      return first([...parts, ...nodes([n.else_expr])], columns);
    }
    case "CAST": {
      const to = isNode(n.cast_type) ? String(n.cast_type.id) : "?";
      if (!ALLOWED_CASTS.has(to)) return `CAST to ${to === "UNBOUND" ? "a type of its own" : to}`;
      return first(nodes([n.child]), columns);
    }
    case "BETWEEN":
      return first(nodes([n.input, n.lower, n.upper]), columns);
    case "SUBQUERY":
      return tableFunction(n.subquery) ?? "a subquery";
    case "WINDOW":
      return `the window function ${String(n.function_name).toLowerCase()}`;
    case "STAR":
      return "*";
    default:
      return `a ${String(n.class).toLowerCase().replace(/_/g, " ")} expression`;
  }
}

/**
 * Check the columns an allowed expression uses against the input columns (DuckDB matches names
 * without regard to case). Returns what is wrong, or undefined.
 */
export function checkColumns(
  used: string[],
  inputs: Iterable<string>,
): { uses: string } | { missing: string } | undefined {
  const known = new Set([...inputs].map((c) => c.toLowerCase()));
  for (const c of used) {
    if (known.has(c.toLowerCase())) continue;
    if (SESSION_NAMES.has(c.toLowerCase())) return { uses: c.toLowerCase() };
    return { missing: c };
  }
  return undefined;
}
