/**
 * The model report's survival section (a model trained with a duration column): what it predicts, its C-index,
 * time-dependent AUC and integrated Brier score, and the inputs that look like functions of the duration.
 */
import type { MetricsFile } from "../artifact/metrics-file.js";
import type { ChurnModel } from "../artifact/churn-model.js";
import type { RawTable } from "../data/load.js";
import { durationLeakMessage } from "../evaluation/leakage.js";
import type { Block, Section } from "../visualization/report.js";

const f4 = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : "–");

/** The report's survival sections (none for a classification model). */
export async function survivalSections(
  model: ChurnModel,
  metrics: MetricsFile,
  heldOut: RawTable | undefined,
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
        ...m.horizons.map((h, k): [string, string] => [`Time-dependent AUC at ${h}`, f4(m.td_auc[k]!)]),
        ["Integrated Brier score", f4(m.integrated_brier)],
        ["Rows evaluated", `${m.rows} (${m.events} churned)`],
      ],
    });
  void heldOut;
  return [{ title: "Survival", blocks }];
}
