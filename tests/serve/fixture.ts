/** Shared by the serve tests: a small logreg model trained once per test file, and Telco rows as JSON. */
import { join } from "node:path";
import { train } from "../../src/pipeline/api.js";
import { loadTable } from "../../src/data/load.js";
import { loadModel, type ChurnModel } from "../../src/artifact/churn-model.js";
import { TELCO, tmp } from "../helpers.js";

export interface Fixture {
  dir: string;
  model: ChurnModel;
  /** Telco rows as API callers send them (all values text, as in the file; the target column removed). */
  rows: Record<string, unknown>[];
}

/** Train logreg on the bundled Telco data into a temporary model directory and load it back. */
export async function trainedModel(): Promise<Fixture> {
  const dir = join(tmp("churnkit-serve-"), "telco");
  await train({ data: TELCO, model: "logreg", out: dir });
  const model = await loadModel(dir);
  const t = await loadTable(TELCO);
  const rows = Array.from({ length: t.rows }, (_, i) => {
    const o: Record<string, unknown> = {};
    for (const c of t.columns) if (c !== "Churn") o[c] = t.data[c]![i];
    return o;
  });
  return { dir, model, rows };
}

/** A typical customer, with JSON types (numbers as numbers). */
export const CUSTOMER = {
  customerID: "7590-VHVEG",
  gender: "Female",
  SeniorCitizen: 0,
  Partner: "Yes",
  Dependents: "No",
  tenure: 1,
  PhoneService: "No",
  MultipleLines: "No phone service",
  InternetService: "DSL",
  OnlineSecurity: "No",
  OnlineBackup: "Yes",
  DeviceProtection: "No",
  TechSupport: "No",
  StreamingTV: "No",
  StreamingMovies: "No",
  Contract: "Month-to-month",
  PaperlessBilling: "Yes",
  PaymentMethod: "Electronic check",
  MonthlyCharges: 29.85,
  TotalCharges: 29.85,
};
