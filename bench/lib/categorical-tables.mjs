// The generated tables of bench/categorical.mjs (and bench/synthetic.mjs): churn-like rows with one
// high-cardinality category, as CSV text. Deterministic for a seed.
// - "state50": a telecom-like table (default 4,000 rows) with a 50-level `state` whose levels carry little
//   signal, next to ten informative columns (numbers, two yes/no plans, a 4-level category).
// - "region300": bench/synthetic.mjs's table (default 20,000 rows) with a skewed 300-level `region`.
import { rng } from "./churn-table.mjs";

function tools(seed) {
  const rnd = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  return { rnd, normal, pick };
}

/** 50 states with small effects (sd 0.15 on the log-odds) and uneven sizes; the rest carries the signal. */
function state50(n, seed) {
  const { rnd, normal, pick } = tools(seed);
  const effects = Array.from({ length: 50 }, () => normal() * 0.15);
  const header = [
    "customer_id",
    "state",
    "account_weeks",
    "area",
    "intl_plan",
    "voicemail_plan",
    "vmail_messages",
    "day_minutes",
    "eve_minutes",
    "night_minutes",
    "intl_calls",
    "service_calls",
    "monthly_charge",
    "churn",
  ];
  const lines = [header.join(",")];
  for (let i = 0; i < n; i++) {
    const s = Math.floor(Math.pow(rnd(), 1.3) * 50);
    const weeks = Math.floor(rnd() * 240);
    const area = pick(["408", "415", "510", "650"]);
    const intl = rnd() < 0.1 ? "yes" : "no";
    const vm = rnd() < 0.28 ? "yes" : "no";
    const vmsg = vm === "yes" ? Math.max(0, Math.round(25 + normal() * 10)) : 0;
    const day = Math.max(0, 180 + normal() * 55);
    const eve = Math.max(0, 200 + normal() * 50);
    const night = Math.max(0, 200 + normal() * 50);
    const intlCalls = Math.floor(-Math.log(1 - rnd()) * 4);
    const calls = Math.floor(-Math.log(1 - rnd()) * 1.6);
    const charge = 0.17 * day + 0.085 * eve + 0.045 * night + normal() * 2;
    // Non-linear day minutes, a service-call threshold, an international-plan interaction.
    let z = -2.8 + (day > 260 ? 2.2 : 0.006 * (day - 180)) + (calls >= 4 ? 2.3 : 0.15 * calls);
    z += (intl === "yes" ? 1.4 + (intlCalls <= 2 ? 1.0 : 0) : 0) + (vm === "yes" ? -0.8 : 0);
    z += 0.004 * (eve - 200) + 0.002 * (night - 200) + 0.001 * (weeks - 100) + effects[s];
    const churn = rnd() < 1 / (1 + Math.exp(-z)) ? "yes" : "no";
    lines.push(
      [
        `C${100000 + i}`,
        `S${s}`,
        weeks,
        area,
        intl,
        vm,
        vmsg,
        day.toFixed(1),
        eve.toFixed(1),
        night.toFixed(1),
        intlCalls,
        calls,
        charge.toFixed(2),
        churn,
      ].join(","),
    );
  }
  return lines;
}

/** bench/synthetic.mjs's table: mixed types, missing values, a skewed 300-level region, an interaction. */
function region300(n, seed) {
  const { rnd, normal, pick } = tools(seed);
  const header = [
    "account_id",
    "tenure_months",
    "monthly_fee",
    "plan",
    "region",
    "support_calls",
    "autopay",
    "contract",
    "days_since_login",
    "discount",
    "churned",
  ];
  const lines = [header.join(",")];
  const regionEffect = Array.from({ length: 300 }, () => normal() * 0.4);
  for (let i = 0; i < n; i++) {
    const tenure = Math.min(120, Math.floor(-Math.log(1 - rnd()) * 24));
    const plan = pick(["starter", "standard", "plus", "premium", "family"]);
    const fee = { starter: 15, standard: 30, plus: 45, premium: 70, family: 55 }[plan] + normal() * 5;
    const r = Math.floor(Math.pow(rnd(), 2) * 300); // a few big regions, a long tail
    const calls = Math.floor(-Math.log(1 - rnd()) * 1.5);
    const autopay = rnd() < 0.55 ? "yes" : "no";
    const contract = pick(["monthly", "monthly", "annual", "two-year"]);
    const login = rnd() < 0.12 ? "" : Math.floor(-Math.log(1 - rnd()) * 20);
    const discount = rnd() < 0.3 ? "true" : "false";
    let z =
      -1.2 +
      1.6 * Math.exp(-tenure / 12) +
      (calls >= 3 ? 0.9 : 0.15 * calls) +
      (contract === "monthly" ? 0.9 : contract === "annual" ? -0.2 : -0.9);
    z +=
      (autopay === "no" ? 0.5 : 0) +
      (plan === "premium" && calls >= 2 ? 0.8 : 0) +
      (login === "" ? 0.6 : 0.02 * Math.min(login, 60)) +
      regionEffect[r] +
      (discount === "true" ? -0.3 : 0) +
      0.01 * (fee - 40);
    const churn = rnd() < 1 / (1 + Math.exp(-z)) ? "yes" : "no";
    lines.push(
      [`A${100000 + i}`, tenure, fee.toFixed(2), plan, `R${r}`, calls, autopay, contract, login, discount, churn].join(
        ",",
      ),
    );
  }
  return lines;
}

/** The tables: generator, default rows, target, positive label, identifier column. */
export const TABLES = {
  state50: { make: state50, rows: 4000, target: "churn", positive: "yes", id: "customer_id" },
  region300: { make: region300, rows: 20000, target: "churned", positive: "yes", id: "account_id" },
};

/** CSV lines (header first) of table `name` with `rows` rows drawn with `seed`. */
export function tableLines(name, rows, seed) {
  const t = TABLES[name];
  if (!t) throw new Error(`unknown table ${name}; known: ${Object.keys(TABLES).join(", ")}`);
  return t.make(rows ?? t.rows, seed);
}
