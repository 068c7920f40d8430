/**
 * Derived features in portable SQL. A derived feature is a DuckDB expression (src/features/derived.ts), checked
 * against the allow-list and evaluated by DuckDB over the typed inputs. The export does not copy its text, which
 * other engines may read differently (integer division, a zero divisor, DECIMAL literals): it rebuilds the
 * expression from DuckDB's own parse (the one the allow-list checks), operator by operator, for the part of the
 * allow-list that every target engine evaluates alike. Anything else is refused, naming the feature and the part.
 *
 * Exactness. DuckDB makes x / 0 ±Infinity or NaN and exp of a large number +Infinity, where PostgreSQL raises an
 * error; churnkit then counts a non-finite result as missing. The export makes those values NULL, which is the same
 * once the feature's value is read, as long as the value only flows through arithmetic (+, −, ×, abs, floor, ceil
 * and the numerator of /, where NULL and Infinity both end as missing). Where it would flow into anything that
 * tells NULL from Infinity (a comparison, COALESCE, IS NULL, a divisor...), the feature is refused.
 */
import { UserError, show } from "../../utils/errors.js";
import type { ColumnType } from "../../data/schema.js";
import type { DerivedFeature } from "../../features/derived.js";
import type { Node } from "../../features/expression.js";
import { dbl, num, quote, str } from "./text.js";

/** A translated expression: its SQL and what kind of value it is. */
interface Sql {
  /** Portable SQL text. */
  sql: string;
  /** The value's kind; "null" for the NULL literal (fits any kind). */
  type: "number" | "text" | "boolean" | "null";
  /** Whether DuckDB may give ±Infinity or NaN here where the export gives NULL. */
  nonFinite: boolean;
}

/** Thrown inside the walk; becomes a UserError naming the feature. */
class Unportable extends Error {}

const isNode = (v: unknown): v is Node => v !== null && typeof v === "object" && !Array.isArray(v);
const kids = (v: unknown): Node[] => (Array.isArray(v) ? v.filter(isNode) : []);

const INTEGER_TYPES = new Set([
  "TINYINT",
  "SMALLINT",
  "INTEGER",
  "BIGINT",
  "HUGEINT",
  "UTINYINT",
  "USMALLINT",
  "UINTEGER",
  "UBIGINT",
]);

const COMPARISONS: Record<string, string> = {
  COMPARE_EQUAL: "=",
  COMPARE_NOTEQUAL: "<>",
  COMPARE_LESSTHAN: "<",
  COMPARE_GREATERTHAN: ">",
  COMPARE_LESSTHANOREQUALTO: "<=",
  COMPARE_GREATERTHANOREQUALTO: ">=",
};

/** Functions of one number that give ±Infinity only from ±Infinity (NaN from NaN). */
const PROPAGATING = new Map([
  ["abs", "ABS"],
  ["floor", "FLOOR"],
  ["ceil", "CEIL"],
  ["ceiling", "CEIL"],
]);
/** Functions of one number that DuckDB and PostgreSQL both refuse (error) outside their domain. */
const DOMAIN = new Map([
  ["sqrt", "SQRT"],
  ["ln", "LN"],
  ["log10", "LOG10"],
]);
/** Functions of one text. */
const TEXT = new Map([
  ["lower", "LOWER"],
  ["lcase", "LOWER"],
  ["upper", "UPPER"],
  ["ucase", "UPPER"],
  ["trim", "TRIM"],
]);

/** The largest x whose exp is finite (DuckDB gives +Infinity above it, PostgreSQL an error). */
const EXP_MAX = 709.782712893384;
/** Below this exp is subnormal or 0 (PostgreSQL may raise an underflow error): the export gives 0 there. */
const EXP_MIN = -708;

const fail = (what: string): never => {
  throw new Unportable(what);
};

/** The parts of an expression whose result must be told apart from NULL: a non-finite value there is refused. */
function finite(x: Sql, where: string): Sql {
  if (x.nonFinite)
    fail(
      `uses a value that DuckDB may make ±Infinity or NaN (a division or exp) in ${where}, which other engines cannot reproduce`,
    );
  return x;
}

function expect(x: Sql, type: Sql["type"], where: string): Sql {
  if (x.type !== type && x.type !== "null") fail(`gives ${where} a ${x.type} value where a ${type} is needed`);
  return x;
}

/** The common kind of values that meet (CASE branches, COALESCE, IN lists, comparisons). */
function common(xs: Sql[], where: string): Sql["type"] {
  const types = new Set(xs.map((x) => x.type).filter((t) => t !== "null"));
  if (types.size > 1) fail(`mixes ${[...types].join(" and ")} values in ${where}`);
  return types.values().next().value ?? "null";
}

/** Translates one expression tree; `columns` maps each input column, in lower case, to its name and type. */
class Translator {
  constructor(private readonly columns: Map<string, { name: string; type: ColumnType }>) {}

  expr(n: Node): Sql {
    switch (n.class) {
      case "CONSTANT":
        return this.constant(n);
      case "COLUMN_REF": {
        const names = Array.isArray(n.column_names) ? n.column_names.map(String) : [];
        const c = names.length === 1 ? this.columns.get(names[0]!.toLowerCase()) : undefined;
        if (!c) return fail(`uses column ${JSON.stringify(names.join("."))}, which is not an input of the model`);
        const type = c.type === "numeric" ? "number" : c.type === "boolean" ? "boolean" : "text";
        return { sql: quote(c.name), type, nonFinite: false };
      }
      case "FUNCTION":
        return this.call(n);
      case "COMPARISON": {
        const op = COMPARISONS[String(n.type)] ?? fail(`uses the comparison ${String(n.type)}`);
        const [l, r] = [this.expr(n.left as Node), this.expr(n.right as Node)].map((x) => finite(x, "a comparison"));
        common([l!, r!], "a comparison");
        return { sql: `(${l!.sql} ${op} ${r!.sql})`, type: "boolean", nonFinite: false };
      }
      case "CONJUNCTION": {
        const op = n.type === "CONJUNCTION_AND" ? " AND " : n.type === "CONJUNCTION_OR" ? " OR " : fail(String(n.type));
        const parts = kids(n.children).map((k) => expect(this.expr(k), "boolean", "AND / OR").sql);
        return { sql: `(${parts.join(op)})`, type: "boolean", nonFinite: false };
      }
      case "OPERATOR":
        return this.operator(n);
      case "CASE": {
        const checks = kids(n.case_checks);
        const whens = checks.map((c) => expect(this.expr(c.when_expr as Node), "boolean", "a CASE condition").sql);
        const values = [...checks.map((c) => c.then_expr as Node), n.else_expr as Node].map((v) =>
          finite(this.expr(v), "a CASE branch"),
        );
        const type = common(values, "the branches of a CASE");
        const branches = whens.map((w, i) => `WHEN ${w} THEN ${values[i]!.sql}`).join(" ");
        return { sql: `(CASE ${branches} ELSE ${values[values.length - 1]!.sql} END)`, type, nonFinite: false };
      }
      case "CAST":
        return this.cast(n);
      case "BETWEEN": {
        const parts = [n.input, n.lower, n.upper].map((v) => finite(this.expr(v as Node), "BETWEEN"));
        common(parts, "BETWEEN");
        return {
          sql: `(${parts[0]!.sql} BETWEEN ${parts[1]!.sql} AND ${parts[2]!.sql})`,
          type: "boolean",
          nonFinite: false,
        };
      }
      default:
        return fail(`uses ${String(n.class).toLowerCase()} expressions`);
    }
  }

  private constant(n: Node): Sql {
    const v = isNode(n.value) ? n.value : {};
    if (v.is_null === true) return { sql: "NULL", type: "null", nonFinite: false };
    const t = isNode(v.type) ? v.type : {};
    const id = String(t.id);
    if (id === "VARCHAR") return { sql: str(String(v.value)), type: "text", nonFinite: false };
    if (INTEGER_TYPES.has(id)) {
      const x = Number(v.value);
      if (!Number.isSafeInteger(x)) fail(`uses the integer ${String(v.value)}, beyond what every engine reads alike`);
      return { sql: x < 0 ? `(${x})` : String(x), type: "number", nonFinite: false };
    }
    if (id === "DOUBLE" || id === "DECIMAL") {
      // A DECIMAL constant is its digits as an integer and a scale: 1.5 is 15 at scale 1.
      const scale = id === "DECIMAL" && isNode(t.type_info) ? Number(t.type_info.scale) : 0;
      const x = Number(v.value) / 10 ** scale;
      return { sql: dbl(num(x)), type: "number", nonFinite: false };
    }
    return fail(`uses a constant of type ${id}`);
  }

  private call(n: Node): Sql {
    const name = String(n.function_name).toLowerCase();
    const args = kids(n.children).map((k) => this.expr(k));
    const one = args.length === 1 ? args[0]! : undefined;
    if (n.is_operator === true) {
      if ((name === "+" || name === "-" || name === "*") && args.length === 2) {
        const [a, b] = args.map((x) => expect(x, "number", name));
        return { sql: `(${a!.sql} ${name} ${b!.sql})`, type: "number", nonFinite: a!.nonFinite || b!.nonFinite };
      }
      if (name === "-" && one) return { ...expect(one, "number", "-"), sql: `(-(${one.sql}))` };
      if (name === "/" && args.length === 2) {
        const a = expect(args[0]!, "number", "/");
        const b = finite(expect(args[1]!, "number", "/"), "the divisor of /");
        // Both sides as doubles: PostgreSQL divides integers as integers, DuckDB's / never does.
        return { sql: `(${dbl(a.sql)} / NULLIF(${dbl(b.sql)}, 0))`, type: "number", nonFinite: true };
      }
      if (name === "||" && args.length === 2) {
        const [a, b] = args.map((x) => finite(expect(x, "text", "||"), "||"));
        return { sql: `(${a!.sql} || ${b!.sql})`, type: "text", nonFinite: false };
      }
      if ((name === "~~" || name === "!~~") && args.length === 2) {
        const a = expect(args[0]!, "text", "LIKE");
        const p = kids(n.children)[1]!;
        const pattern = isNode(p.value) ? p.value.value : undefined;
        // PostgreSQL's LIKE escapes with a backslash by default, DuckDB's does not.
        if (p.class !== "CONSTANT" || typeof pattern !== "string" || pattern.includes("\\"))
          fail("uses LIKE with a pattern that is not a constant without backslashes");
        return {
          sql: `(${a.sql} ${name === "~~" ? "LIKE" : "NOT LIKE"} ${str(pattern as string)})`,
          type: "boolean",
          nonFinite: false,
        };
      }
      return fail(`uses the operator ${name}`);
    }
    const prop = PROPAGATING.get(name);
    if (prop && one) return { ...expect(one, "number", name), sql: `${prop}(${one.sql})` };
    const dom = DOMAIN.get(name);
    if (dom && one)
      return { sql: `${dom}(${finite(expect(one, "number", name), name).sql})`, type: "number", nonFinite: false };
    if (name === "exp" && one) {
      const x = finite(expect(one, "number", name), name).sql;
      return {
        sql: `(CASE WHEN ${x} > ${num(EXP_MAX)} THEN NULL WHEN ${x} < ${num(EXP_MIN)} THEN ${dbl("0")} ELSE EXP(${x}) END)`,
        type: "number",
        nonFinite: true,
      };
    }
    const text = TEXT.get(name);
    if (text && one) return { sql: `${text}(${expect(one, "text", name).sql})`, type: "text", nonFinite: false };
    if (name === "length" && one)
      return { sql: `LENGTH(${expect(one, "text", name).sql})`, type: "number", nonFinite: false };
    if ((name === "greatest" || name === "least") && args.length >= 1) {
      const type = common(
        args.map((x) => finite(x, name)),
        name,
      );
      return { sql: `${name.toUpperCase()}(${args.map((x) => x.sql).join(", ")})`, type, nonFinite: false };
    }
    if (name === "nullif" && args.length === 2) {
      const type = common(
        args.map((x) => finite(x, name)),
        name,
      );
      return { sql: `NULLIF(${args[0]!.sql}, ${args[1]!.sql})`, type, nonFinite: false };
    }
    if (name === "ifnull" && args.length === 2) return this.coalesce(args);
    return fail(`uses the function ${name}(), which the SQL export does not translate`);
  }

  private coalesce(args: Sql[]): Sql {
    const type = common(
      args.map((x) => finite(x, "COALESCE")),
      "COALESCE",
    );
    return { sql: `COALESCE(${args.map((x) => x.sql).join(", ")})`, type, nonFinite: false };
  }

  private operator(n: Node): Sql {
    const args = kids(n.children).map((k) => this.expr(k));
    switch (n.type) {
      case "OPERATOR_NOT":
        return { sql: `(NOT ${expect(args[0]!, "boolean", "NOT").sql})`, type: "boolean", nonFinite: false };
      case "OPERATOR_IS_NULL":
      case "OPERATOR_IS_NOT_NULL": {
        const x = finite(args[0]!, "IS NULL");
        return {
          sql: `(${x.sql} IS ${n.type === "OPERATOR_IS_NULL" ? "" : "NOT "}NULL)`,
          type: "boolean",
          nonFinite: false,
        };
      }
      case "COMPARE_IN":
      case "COMPARE_NOT_IN": {
        common(
          args.map((x) => finite(x, "IN")),
          "IN",
        );
        const list = args
          .slice(1)
          .map((x) => x.sql)
          .join(", ");
        return {
          sql: `(${args[0]!.sql} ${n.type === "COMPARE_IN" ? "IN" : "NOT IN"} (${list}))`,
          type: "boolean",
          nonFinite: false,
        };
      }
      case "OPERATOR_COALESCE":
        return this.coalesce(args);
      default:
        return fail(`uses the ${String(n.type).toLowerCase().replace(/_/g, " ")} operator`);
    }
  }

  private cast(n: Node): Sql {
    const to = isNode(n.cast_type) ? String(n.cast_type.id) : "?";
    const child = n.child as Node;
    // DuckDB parses TRUE and FALSE as CAST('t' AS BOOLEAN).
    if (to === "BOOLEAN" && child.class === "CONSTANT" && isNode(child.value)) {
      const v = child.value.value;
      if (v === "t" || v === "f") return { sql: v === "t" ? "TRUE" : "FALSE", type: "boolean", nonFinite: false };
    }
    if (n.try_cast === true) return fail("uses TRY_CAST");
    const x = this.expr(child);
    if (to === "DOUBLE" && (x.type === "number" || x.type === "null")) return { ...x, sql: dbl(x.sql), type: "number" };
    if (to === "VARCHAR" && (x.type === "text" || x.type === "boolean")) {
      // A boolean reads as 'true' / 'false' in both engines; numbers are formatted differently.
      return {
        sql: x.type === "text" ? x.sql : `(CASE WHEN ${x.sql} THEN 'true' WHEN NOT ${x.sql} THEN 'false' END)`,
        type: "text",
        nonFinite: false,
      };
    }
    return fail(`uses CAST of a ${x.type} value to ${to}`);
  }
}

/** What a derived feature's stored type needs its expression to give. */
const WANTED: Record<ColumnType, Sql["type"]> = { numeric: "number", boolean: "boolean", categorical: "text" };

/**
 * The SQL of each derived feature, over the typed input columns (`inputs`, by name), from DuckDB's parse of each
 * (`trees`, in the order of `derived`). Throws a one-line UserError naming the feature that cannot be exported.
 */
export function derivedSql(
  derived: readonly DerivedFeature[],
  trees: readonly Node[],
  inputs: readonly { name: string; type: ColumnType }[],
): string[] {
  const columns = new Map(inputs.map((c) => [c.name.toLowerCase(), c]));
  const t = new Translator(columns);
  return derived.map((d, i) => {
    try {
      const x = t.expr(trees[i]!);
      if (x.type !== WANTED[d.type] && x.type !== "null")
        fail(`gives a ${x.type} value, but the model stores it as ${d.type}`);
      return x.sql;
    } catch (e) {
      if (!(e instanceof Unportable)) throw e;
      throw new UserError(
        `model.json: derived feature ${show(d.name, 200)} (${show(d.sql, 200)}) cannot be exported to SQL: it ${e.message}; rewrite it with arithmetic, comparisons, CASE, COALESCE and text functions, and retrain`,
      );
    }
  });
}
