/**
 * Test helper: churn-like tables for the drift tests, generated from a seed (nothing downloaded), and the ways the
 * tests cut and shift them: an 80/20 split of the rows, a numeric column moved by one standard deviation, a
 * categorical column with its levels reassigned.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { telcoLines } from "../helpers.js";

/** A table as a header and rows of CSV fields (no field needs quoting). */
export interface Csv {
  header: string[];
  rows: string[][];
}

const rng = (seed: number) => {
  let s = seed >>> 0 || 1;
  return () => (s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296;
};

/** Subscriptions: skewed tenure, fees by plan, a 300-level region, missing login days; target "churned". */
export function subscriptions(n: number, seed: number): Csv {
  const rnd = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const plans = ["starter", "standard", "standard", "plus", "premium", "premium", "premium", "family"];
  const fees: Record<string, number> = { starter: 15, standard: 30, plus: 45, premium: 70, family: 55 };
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    const tenure = Math.min(120, Math.floor(-Math.log(1 - rnd()) * 24));
    const plan = plans[Math.floor(rnd() * plans.length)]!;
    const fee = fees[plan]! + normal() * 5;
    const region = Math.floor(rnd() ** 2 * 300);
    const calls = Math.floor(-Math.log(1 - rnd()) * 1.5);
    const login = rnd() < 0.12 ? "" : String(Math.floor(-Math.log(1 - rnd()) * 20));
    const autopay = rnd() < 0.55 ? "yes" : "no";
    const z = -1 + 1.6 * Math.exp(-tenure / 12) + 0.3 * calls + (autopay === "no" ? 0.5 : 0) + 0.01 * (fee - 40);
    const churned = rnd() < 1 / (1 + Math.exp(-z)) ? "yes" : "no";
    rows.push([`A${i}`, String(tenure), fee.toFixed(2), plan, `r${region}`, String(calls), login, autopay, churned]);
  }
  const header = ["account_id", "tenure_months", "monthly_fee", "plan", "region", "support_calls"];
  return { header: [...header, "days_since_login", "autopay", "churned"], rows };
}

/** Bank customers: normal ages, log-normal balances, three countries of unequal size; target "exited" (1/0). */
export function bank(n: number, seed: number): Csv {
  const rnd = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    const age = Math.round(40 + 10 * normal());
    const balance = Math.exp(9 + normal());
    const u = rnd();
    const country = u < 0.6 ? "France" : u < 0.85 ? "Germany" : "Spain";
    const products = 1 + Math.floor(rnd() ** 2 * 4);
    const active = rnd() < 0.5 ? "1" : "0";
    const gender = rnd() < 0.5 ? "Female" : "Male";
    const z = -2 + 0.06 * (age - 40) + (country === "Germany" ? 0.8 : 0) + (active === "0" ? 0.7 : 0) - 0.2 * products;
    const exited = rnd() < 1 / (1 + Math.exp(-z)) ? "1" : "0";
    rows.push([String(100000 + i), String(age), balance.toFixed(2), country, String(products), active, gender, exited]);
  }
  return { header: ["customer_id", "age", "balance", "country", "products", "active", "gender", "exited"], rows };
}

/** The bundled Telco table (it has no quoted fields, so splitting on commas is exact). */
export function telco(): Csv {
  const { header, lines } = telcoLines();
  return { header: header.split(","), rows: lines.map((l) => l.split(",")) };
}

/** A seeded 80/20 split of the rows: [train, held out]. */
export function split(t: Csv, seed: number): [Csv, Csv] {
  const rnd = rng(seed);
  const idx = t.rows.map((_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  const k = Math.floor(idx.length * 0.8);
  return [
    { header: t.header, rows: idx.slice(0, k).map((i) => t.rows[i]!) },
    { header: t.header, rows: idx.slice(k).map((i) => t.rows[i]!) },
  ];
}

/** A copy with `numeric` moved up by `sd` (the training rows' standard deviation) and `categorical`'s levels mapped by `levels`. */
export function shifted(t: Csv, numeric: string, sd: number, categorical: string, levels: Record<string, string>): Csv {
  const n = t.header.indexOf(numeric);
  const c = t.header.indexOf(categorical);
  return {
    header: t.header,
    rows: t.rows.map((r) => {
      const out = [...r];
      if (out[n]!.trim() !== "") out[n] = String(Number(out[n]) + sd);
      out[c] = levels[out[c]!] ?? out[c]!;
      return out;
    }),
  };
}

/** Population standard deviation of a numeric column (empty fields skipped). */
export function sdOf(t: Csv, column: string): number {
  const j = t.header.indexOf(column);
  const xs = t.rows
    .map((r) => r[j]!)
    .filter((v) => v.trim() !== "")
    .map(Number);
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
}

/** Write a table as CSV into `dir`; returns its path. */
export function writeCsv(dir: string, name: string, t: Csv): string {
  const p = join(dir, name);
  writeFileSync(p, [t.header.join(","), ...t.rows.map((r) => r.join(","))].join("\n") + "\n");
  return p;
}
