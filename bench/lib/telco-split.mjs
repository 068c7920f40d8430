// The bundled Telco table as the survival benchmarks read it (bench/survival-telco.mjs, bench/survival-baseline.mjs):
// the scikit-learn reference split (tests/fixtures/telco-test-ids.json; bench/make_split.py: stratified 80/20 on
// Churn, random_state 42), duration `tenure`, event `Churn = Yes`, features every column but customerID, Churn,
// tenure and TotalCharges (which encode the duration). Needs `npm run build`.
import { readFileSync } from "node:fs";
import { loadTable } from "../../dist/data/load.js";
import { typeTable, takeTyped } from "../../dist/data/typed.js";
import { fitPreprocess, transform } from "../../dist/data/preprocess.js";
import { family } from "../../dist/learners/families.js";

const root = new URL("../..", import.meta.url);

/** The split: typed train and test rows, their survival data, the feature inputs and a matrix encoder per family. */
export async function telcoSurvivalSplit() {
  const raw = await loadTable(new URL("data/telco-customer-churn.csv", root).pathname);
  const numeric = new Set(["SeniorCitizen", "MonthlyCharges", "tenure"]);
  const features = raw.columns.filter((c) => !["customerID", "Churn", "tenure", "TotalCharges"].includes(c));
  const specs = [...features, "tenure", "Churn", "customerID"].map((name) => ({
    name,
    type: numeric.has(name) ? "numeric" : "categorical",
  }));
  const table = typeTable(raw, specs);
  const testIds = new Set(JSON.parse(readFileSync(new URL("tests/fixtures/telco-test-ids.json", root), "utf8")));
  const ids = table.columns.get("customerID").values;
  const trainRows = [];
  const testRows = [];
  ids.forEach((id, i) => (testIds.has(id) ? testRows : trainRows).push(i));
  const train = takeTyped(table, trainRows);
  const test = takeTyped(table, testRows);
  const survival = (t) => ({
    time: t.columns.get("tenure").values,
    event: Uint8Array.from(t.columns.get("Churn").values, (v) => (v === "Yes" ? 1 : 0)),
  });
  const inputs = features.map((column) => ({ column, type: numeric.has(column) ? "numeric" : "categorical" }));
  const opts = {
    numeric_imputation: "median",
    categorical_imputation: "most_frequent",
    unseen_category: "ignore",
    max_categories: 50,
    min_category_count: 1,
  };
  /** The train and test matrices in family `name`'s encoding, preprocessing learned on the train rows. */
  const matrices = (name) => {
    const pre = fitPreprocess(train, inputs, family(name).needs, opts);
    return { X: transform(pre, train).X, Xt: transform(pre, test).X };
  };
  return { train, test, trS: survival(train), teS: survival(test), matrices };
}
