/**
 * The whole of churnkit's scoring as ONE SELECT over a relation named `input`: typing, derived features,
 * preprocessing, the model, calibration, the logistic function and the decision at the threshold, as common table
 * expressions, each MATERIALIZED: an engine that inlined them (PostgreSQL inlines a CTE read once) would copy a
 * model column's expression into every tree node that reads it, and the score into every branch of the logistic
 * function, and the query would grow without bound. DuckDB and PostgreSQL (12 and later) read `AS MATERIALIZED`.
 * Columns churnkit adds along the way are named `__ck_*`; an identifier column of such a name, or of a
 * derived feature's name, is refused.
 */
import type { ModelArtifact } from "../../artifact/artifact-type.js";
import type { Node } from "../../features/expression.js";
import { family } from "../../learners/families.js";
import { show, UserError } from "../../utils/errors.js";
import { derivedSql } from "./derived.js";
import { modelColumns, typedInput } from "./encode.js";
import { isotonicSql, logitSql, modelOutput, sigmoidSql } from "./score.js";
import { num, quote } from "./text.js";

const OWN = "__ck_";
const m = (j: number) => quote(`${OWN}m${j}`);
const part = (i: number) => quote(`${OWN}t${i}`);
const OUT = quote(`${OWN}out`);
const Z = quote(`${OWN}z`);
const P = quote(`${OWN}p`);

const list = (xs: string[], indent = "    "): string => xs.map((x) => indent + x).join(",\n");

/**
 * The query scoring `input` like `churnkit predict`, from a validated artifact and the parse of each of its derived
 * features (`trees`, in the order of `artifact.derived`). Throws a UserError when the model cannot be exported.
 */
export function scoringQuery(a: ModelArtifact, trees: readonly Node[]): string {
  const f = family(a.model.family);
  if (!f.scoreForm)
    throw new UserError(
      `model.json: the model family "${a.model.family}" cannot be exported to SQL (it does not describe its score); retrain with logreg, tree, forest or gbdt`,
    );
  const form = f.scoreForm(f.state().parse(a.model.state));
  const derivedNames = new Set(a.derived.map((d) => d.name));
  for (const id of a.id_columns) {
    if (id.startsWith(OWN) || derivedNames.has(id))
      throw new UserError(
        `model.json: identifier column ${show(id, 200)} has a name the SQL export uses for ${id.startsWith(OWN) ? "its own columns" : "a derived feature"}; rename the column and retrain`,
      );
  }
  const ids = a.id_columns.map(quote);
  const derived = derivedSql(a.derived, trees, a.inputs);
  const model = modelColumns(a.preprocess, derivedNames);
  const output = modelOutput(form, m);
  const cal = a.calibration ?? null;

  // The probability before calibration, and the log-odds Platt scaling reads.
  const raw = output.space === "raw" ? OUT : logitSql(OUT);
  const p0 = output.space === "raw" ? sigmoidSql(OUT) : OUT;
  let probability: string[];
  if (!cal) probability = [`${p0} AS ${P}`];
  else if (cal.method === "platt") probability = [`${num(cal.a)} * ${raw} + ${num(cal.b)} AS ${Z}`];
  else probability = [`${p0} AS ${P}`];
  const steps: [string, string[]][] = [
    ["__ck_typed", [...ids, ...a.inputs.map((c) => `${typedInput(c.name, c.type)} AS ${quote(c.name)}`)]],
    [
      "__ck_derived",
      [...ids, ...a.inputs.map((c) => quote(c.name)), ...derived.map((d, i) => `${d} AS ${quote(a.derived[i]!.name)}`)],
    ],
    ["__ck_model", [...ids, ...model.map((c, j) => `${c} AS ${m(j)}`)]],
    ["__ck_parts", [...ids, ...output.parts.map((x, i) => `${x} AS ${part(i)}`)]],
    ["__ck_output", [...ids, `${output.combine(output.parts.map((_, i) => part(i)))} AS ${OUT}`]],
    ["__ck_score", [...ids, ...probability]],
  ];
  let final: string;
  if (cal?.method === "platt") final = sigmoidSql(Z);
  else if (cal?.method === "isotonic") final = isotonicSql(cal, P);
  else final = P;
  const ctes = steps.map(([name, cols], i) => {
    const from = i === 0 ? "input" : steps[i - 1]![0];
    return `${quote(name)} AS MATERIALIZED (\n  SELECT\n${list(cols)}\n  FROM ${i === 0 ? from : quote(from)}\n)`;
  });
  const last = steps[steps.length - 1]![0];
  return (
    `-- churnkit ${a.churnkit_version} model (${a.model.family}), exported as SQL: scores the rows of \`input\`.\n` +
    `WITH\n${ctes.join(",\n")},\n${quote(`${OWN}final`)} AS MATERIALIZED (\n  SELECT\n${list([...ids, `${final} AS ${P}`])}\n  FROM ${quote(last)}\n)\n` +
    `SELECT\n${list([...ids, `${P} AS churn_probability`, `${P} >= ${num(a.threshold.value)} AS churn_prediction`])}\nFROM ${quote(`${OWN}final`)};\n`
  );
}
