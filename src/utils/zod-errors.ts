/**
 * Config (and hyperparameter) errors in churnkit's own words: one line naming the file, the key path, what is
 * expected and what was given, e.g. `churn.yaml: search.max_rows: expected a number of at least 100, got 5`.
 * zod's default wording ("Too small: expected number to be >=100") is replaced issue code by issue code; a
 * message the schema wrote itself (a refinement, `{ error: "..." }`) is kept as it is. Parse with
 * `{ reportInput: true }` so that the issues hold the values given.
 */
import type { z } from "zod";
import { UserError, show } from "./errors.js";

type Issue = z.core.$ZodIssue;

/** zod's default messages start so; a schema's own messages do not. */
const ZOD_DEFAULT =
  /^(Invalid (input|option|key|element|value|string|number)|Too (small|big)|Unrecognized key|Invalid$)/;

/** The words for a type zod expected. */
const TYPES: Record<string, string> = {
  number: "a number",
  int: "a whole number",
  string: "text",
  boolean: "true or false",
  array: "a list",
  object: "a mapping of keys",
  record: "a mapping of keys",
  nan: "a number",
  bigint: "a whole number",
  date: "a date",
  null: "null",
};

/** What a given value was, shortly: `"abc"`, `5`, a list, a mapping. */
export function given(v: unknown): string {
  if (Array.isArray(v)) return v.length === 0 ? "an empty list" : `a list of ${v.length}`;
  if (v !== null && typeof v === "object") return "a mapping";
  return show(v);
}

const bound = (n: number | bigint, inclusive: boolean | undefined, low: boolean): string =>
  `${low ? (inclusive ? "of at least" : "greater than") : inclusive ? "of at most" : "less than"} ${n}`;

/** What the issue expected, in words (no "got ..."). */
function expectation(i: Issue): string {
  switch (i.code) {
    case "invalid_type":
      return TYPES[i.expected] ?? i.expected;
    case "invalid_value":
      return i.values.length === 1
        ? JSON.stringify(i.values[0])
        : `one of ${i.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small":
    case "too_big": {
      const low = i.code === "too_small";
      const n = low ? i.minimum : i.maximum;
      if (i.origin === "string")
        return low && Number(n) === 1 && i.inclusive
          ? "text that is not empty"
          : `text ${bound(n, i.inclusive, low)} characters long`;
      if (i.origin === "array" || i.origin === "set")
        return low && Number(n) === 1 && i.inclusive
          ? "a list that is not empty"
          : `a list ${bound(n, i.inclusive, low)} items`;
      return `a number ${bound(n, i.inclusive, low)}`;
    }
    case "not_multiple_of":
      return `a multiple of ${i.divisor}`;
    case "invalid_format":
      return `text in the format ${i.format}`;
    case "invalid_union": {
      const options = i.errors.map((branch) => (branch[0] ? expectation(branch[0]) : "")).filter(Boolean);
      return options.length ? [...new Set(options)].join(", or ") : "another value";
    }
    default:
      return "another value";
  }
}

/** One issue in words: the schema's own message, or what was expected and what was given. */
function describe(i: Issue): string {
  if (i.code === "unrecognized_keys")
    return `unknown key${i.keys.length > 1 ? "s" : ""} ${i.keys.map((k) => `"${k}"`).join(", ")}; check the spelling`;
  // A bad record key (e.g. a derived feature name): the key's own rule says what is wrong.
  if (i.code === "invalid_key" && i.issues[0]) return describe(i.issues[0]);
  if (i.code === "invalid_element" && i.issues[0]) return describe(i.issues[0]);
  const input = (i as { input?: unknown }).input;
  const missing = input === undefined && i.code === "invalid_type";
  if (i.code === "custom" || !ZOD_DEFAULT.test(i.message)) return missing ? `missing; ${i.message}` : i.message;
  if (missing) return `missing; expected ${expectation(i)}`;
  return `expected ${expectation(i)}, got ${given(input)}`;
}

/** One line for a failed parse: `where: key.path: what was expected, got what`, and a count of further problems. */
export function zodToUserError(err: z.ZodError, where: string, prefix = ""): UserError {
  const first = err.issues[0]!;
  const key = [prefix, ...first.path.map(String)].filter(Boolean).join(".");
  const more =
    err.issues.length > 1 ? ` (and ${err.issues.length - 1} more problem${err.issues.length > 2 ? "s" : ""})` : "";
  return new UserError(`${where}: ${key ? `${key}: ` : ""}${describe(first)}${more}`);
}
