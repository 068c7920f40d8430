/**
 * The model report's survival section (a model trained with a duration column): what it predicts, its C-index,
 * time-dependent AUC and integrated Brier score, and the inputs that look like functions of the duration.
 */
import type { MetricsFile } from "../artifact/metrics-file.js";
import type { ChurnModel } from "../artifact/churn-model.js";
import { takeRows, type RawTable } from "../data/load.js";
import { encodeTarget } from "../data/target.js";
import { durationLeakMessage } from "../evaluation/leakage.js";
import { horizonCalibration, observedVsPredicted, riskGroupCurves } from "../evaluation/survival-curves.js";
import { churnWithin, survivalAt } from "../learners/baseline-hazard.js";
import { horizonCalibrationChart, renderSvg, survivalChart } from "../visualization/index.js";
import type { Block, Section } from "../visualization/report.js";

const f4 = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : "–");

/** The report's survival sections (none for a classification model). */
export async function survivalSections(
  model: ChurnModel,
  metrics: MetricsFile,
  heldOut: RawTable | undefined,
  heldOutOf?: number,
): Promise<Section[]> {
  const s = model.survival;
  if (!s) return [];
  const m = metrics.survival?.test ?? metrics.survival?.validation;
  const on = metrics.survival?.test ? "test split" : "validation split";
  const blocks: Block[] = [
    ...(metrics.duration_leakage ?? [])
      .filter((l) => !l.allowed)
      .map((l): Block => ({ kind: "callout", level: "warning", text: durationLeakMessage(l, s.duration) })),
    {
      kind: "text",
      text:
        `A survival model of when customers leave: the duration column "${s.duration}" is how long each customer has stayed, ` +
        `the target the event (churned then, or still a customer). For each customer at its current "${s.duration}" t0 it predicts ` +
        `churn_within_H = 1 − S(t0 + H)/S(t0) for H in ${s.horizons.join(", ")}, and expected_remaining = ∫ S(u)/S(t0) du from t0 ` +
        `to the longest duration seen in training (${s.baseline.max_time})` +
        (s.value ? `; revenue_at_risk_H = ${s.value} × the expected part of the next H lost to churn.` : "."),
    },
  ];
  if (m)
    blocks.push({
      kind: "facts",
      items: [
        [`C-index (${on})`, f4(m.c_index)],
        ...m.td_auc.map((x): [string, string] => [`Time-dependent AUC at ${x.horizon}`, f4(x.auc)]),
        ["Integrated Brier score", f4(m.integrated_brier)],
        ["Rows evaluated", `${m.rows} (${m.events} churned)`],
      ],
    });
  const sections: Section[] = [{ title: "Survival", blocks }];
  if (!heldOut || heldOut.rows === 0) return sections;
  return [
    ...sections,
    ...(await survivalCharts(model, heldOut, metrics.survival?.test ? "test split" : "validation split", heldOutOf)),
  ];
}

/**
 * Survival curves of held-out rows: their Kaplan–Meier estimate against the model's mean predicted S(t), Kaplan–Meier
 * by predicted risk group, and the calibration of churn within each horizon (predicted from the start, observed by
 * Kaplan–Meier). Past `evaluation.importance_max_rows` they are drawn from the bounded rows read back as text
 * (pipeline/held-out.ts), and their captions say how many of the split's `of` rows, as importance's does.
 */
async function survivalCharts(model: ChurnModel, heldOut: RawTable, on: string, of?: number): Promise<Section[]> {
  const s = model.survival!;
  const { y, rows } = encodeTarget(heldOut, model.artifact.target, true);
  if (rows.length === 0) return [];
  const labelled = rows.length < heldOut.rows ? takeRows(heldOut, rows) : heldOut;
  const { X, at } = await model.prepare(labelled);
  const risk = model.estimator.predictRaw(X);
  const data = { time: at!.t0, event: y };
  const n = (v: number) => v.toLocaleString("en");
  const bound =
    of !== undefined && rows.length < of
      ? ` Drawn from ${n(rows.length)} of the ${on}'s ${n(of)} rows: a stratified sample by the event (evaluation.importance_max_rows) and the highest-risk customers.`
      : "";
  const b = s.baseline;
  const unit = `${s.duration}`;
  const vs = observedVsPredicted(data, (i, t) => survivalAt(b, risk[i]!, t));
  const groups = riskGroupCurves(data, risk);
  const calibration = s.horizons.map((h) =>
    horizonCalibration(
      data,
      Float64Array.from(risk, (r) => churnWithin(b, r, 0, h)),
      h,
    ),
  );
  return [
    {
      title: "Survival curves",
      blocks: [
        {
          kind: "chart",
          svg: await renderSvg(
            survivalChart({
              series: [
                { name: "observed (Kaplan–Meier)", ...vs.observed },
                { name: "model (mean predicted)", ...vs.predicted, dashed: true },
              ],
              timeTitle: unit,
            }),
          ),
          caption: `The ${on}'s customers: observed share still a customer by ${unit} against the model's average predicted curve.${bound}`,
        },
        {
          kind: "chart",
          svg: await renderSvg(
            survivalChart({
              series: groups.map((g) => ({ name: `${g.label} (${g.rows})`, ...g.curve })),
              timeTitle: unit,
            }),
          ),
          caption:
            "Kaplan–Meier of the customers split into thirds by predicted risk: the further apart, the better the ranking.",
        },
      ],
    },
    {
      title: "Calibration at each horizon",
      blocks: [
        {
          kind: "chart",
          svg: await renderSvg(
            horizonCalibrationChart({
              horizons: calibration.map((c) => ({
                name: `within ${c.horizon}`,
                bins: c.bins.map((x) => ({ predicted: x.mean_predicted, observed: x.observed, count: x.rows })),
              })),
            }),
          ),
          caption: `Predicted churn within each horizon from the start against the churn observed by then (Kaplan–Meier); calibration error ${calibration.map((c) => `${f4(c.error)} within ${c.horizon}`).join(", ")}.${bound}`,
        },
      ],
    },
  ];
}
