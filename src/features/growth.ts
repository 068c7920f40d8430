/**
 * An upper bound on the length of the text a derived expression can produce per row. DuckDB
 * cannot interrupt one scalar function on one vector, so an allowed expression such as
 * `replace(replace(...(x, 'e', 'eeeeeeeeee')...))` nested a few deep builds gigabytes of text
 * before any time or memory limit is looked at. derived.ts refuses an expression whose bound is
 * too large before it runs. The bound is deliberately coarse: it must never be below the truth.
 */

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => v !== null && typeof v === "object" && !Array.isArray(v);
const nodes = (v: unknown): Node[] => (Array.isArray(v) ? v.filter(isNode) : []);

/** Length allowed for a value that is not text (a number, date or boolean written as text). */
const SCALAR = 64;

/** The length of a constant text argument, or undefined when it is not a constant. */
function constantText(n: Node | undefined): string | undefined {
  if (n?.class !== "CONSTANT" || !isNode(n.value)) return undefined;
  const v = n.value.value;
  return typeof v === "string" ? v : undefined;
}

/**
 * Upper bound on the length (in bytes, roughly) of the text `n` (a node of DuckDB's parse, as
 * checked by expression.ts) can produce, when no input text is longer than `inputMax`.
 */
export function maxTextLength(n: Node, inputMax: number): number {
  const m = Math.max(inputMax, SCALAR);
  const go = (x: Node): number => maxTextLength(x, inputMax);
  const kids = nodes(n.children);
  const max = (xs: Node[]) => xs.reduce((a, x) => Math.max(a, go(x)), SCALAR);
  const sum = (xs: Node[]) => xs.reduce((a, x) => a + go(x), 0);
  switch (n.class) {
    case "CONSTANT": {
      const s = constantText(n);
      return s === undefined ? SCALAR : Buffer.byteLength(s);
    }
    case "COLUMN_REF":
      return m;
    case "CASE": {
      const parts: Node[] = nodes([n.else_expr]);
      // eslint-disable-next-line no-restricted-syntax -- the few branches of one CASE
      for (const c of nodes(n.case_checks)) parts.push(...nodes([c.then_expr])); // the few branches of one CASE
      return max(parts);
    }
    case "CAST":
      return max(nodes([n.child]));
    case "OPERATOR":
      return String(n.type) === "OPERATOR_COALESCE" ? max(kids) : SCALAR;
    case "FUNCTION":
      break;
    default:
      return SCALAR; // comparisons, conjunctions, BETWEEN: booleans
  }
  const name = String(n.function_name).toLowerCase();
  const [s, a, b] = kids;
  switch (name) {
    case "||":
    case "concat":
      return sum(kids);
    case "concat_ws":
      return s ? go(s) * Math.max(kids.length - 2, 0) + sum(kids.slice(1)) : 0;
    case "replace": {
      // Each match of `a` (at least one byte; an empty `a` replaces nothing) becomes `b`.
      if (!s) return SCALAR;
      const from = constantText(a);
      const per = from !== undefined && from.length > 0 ? Buffer.byteLength(from) : 1;
      return go(s) * Math.max(1, Math.ceil((b ? go(b) : 0) / per));
    }
    case "regexp_replace": {
      // A pattern can match the empty string at every position (ls + 1 matches), and each
      // backslash of the replacement may stand for a whole match (\0, at most ls long); a
      // replacement that is not a constant may hold as many as it has characters.
      if (!s) return SCALAR;
      const ls = go(s);
      const r = constantText(b);
      const lr = r !== undefined ? Buffer.byteLength(r) : b ? go(b) : 0;
      const refs = r !== undefined ? r.split("\\").length - 1 : lr;
      return ls + (ls + 1) * (lr + refs * ls);
    }
    case "strftime":
      return (b ? go(b) : SCALAR) * 32; // each format character writes at most a month or day name
    case "upper":
    case "lower":
    case "ucase":
    case "lcase":
      return 3 * max(kids); // a case change can lengthen a character's UTF-8 encoding
    default:
      return max(kids); // every other allowed function returns a part of its text or a scalar
  }
}
