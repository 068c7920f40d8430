/**
 * The model report (report.html in every model directory): data summary, leaderboard, ROC,
 * precision-recall, calibration, lift and gains, the confusion matrix at the threshold,
 * feature importance, a SHAP summary and the highest-risk customers explained. One
 * self-contained HTML file: inline SVG charts rendered in Node, no scripts, no requests.
 */
import type { RawTable } from "../data/load.js";
import { takeRows } from "../data/load.js";
import type { DetailedMetrics } from "../evaluation/detailed.js";
import { leakMessage } from "../evaluation/leakage.js";
import { describeContribution, topContributions, type Explanation } from "../artifact/explain.js";
import type { MetricsFile } from "../artifact/metrics-file.js";
import type { ChurnModel } from "../artifact/churn-model.js";
import { family } from "../learners/families.js";
import {
  calibrationChart,
  confusionMatrixChart,
  curveChart,
  importanceChart,
  renderSvg,
} from "../visualization/index.js";
import { buildReport, type Block, type Section } from "../visualization/report.js";
import { VERSION } from "../version.js";
import { survivalSections } from "./survival-section.js";

/** What the model report is built from. */
export interface ModelReportInput {
  /** The model the report describes. */
  model: ChurnModel;
  /** Its metrics.json: the report's metrics, curves, leaderboard and importance come from here. */
  metrics: MetricsFile;
  /** Held-out rows to explain (the test split for `run`, the validation split for `train`). */
  heldOut?: RawTable;
  /** Name of those rows, e.g. "test split". */
  heldOutName?: string;
  /** How many rows the split has that `heldOut` was drawn from; charts of fewer rows say so. Default: `heldOut`'s. */
  heldOutOf?: number;
  /** Rows explained for the SHAP summary at most. Default: the family's `report.explainRows`, else 300. */
  shapRows?: number;
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const f4 = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : "–");

/** Evenly spread row indices (deterministic sample). */
const spread = (n: number, k: number): number[] =>
  n <= k ? Array.from({ length: n }, (_, i) => i) : Array.from({ length: k }, (_, i) => Math.floor((i * n) / k));

/** The model report as one self-contained HTML string. */
export async function modelReport(input: ModelReportInput): Promise<string> {
  const { model, metrics } = input;
  const a = model.artifact;
  const spec = family(a.model.family);
  const m: DetailedMetrics | null = metrics.test ?? metrics.validation;
  const on = metrics.test ? "test split" : "validation split";
  const sections: Section[] = [];

  // Possible target leakage first: a near-perfect AUC is then no cause for joy.
  const leaks = metrics.leakage ?? [];
  const allowed = leaks.filter((l) => l.allowed);
  const leakBlocks: Block[] = [
    ...leaks.filter((l) => !l.allowed).map((l): Block => ({ kind: "callout", level: "warning", text: leakMessage(l) })),
    ...(allowed.length
      ? [
          {
            kind: "callout",
            level: "info",
            text: `Listed in data.allow_leaky (checked as known before churn), though alone they separate the classes: ${allowed.map((l) => `${l.column} (AUC ${l.auc.toFixed(3)})`).join(", ")}.`,
          } as Block,
        ]
      : []),
  ];
  sections.push({
    title: "Summary",
    blocks: [
      ...leakBlocks,
      {
        kind: "facts",
        items: [
          ["Model family", `${spec.report.displayName} (${a.model.family})`],
          ["Target", `${a.target.column} = ${a.target.positive}`],
          ["Training rows", a.data_fingerprint.rows],
          ["Trained", a.created_at],
          ["churnkit", a.churnkit_version],
          ...(m
            ? ([
                [`ROC AUC (${on})`, f4(m.auc)],
                [`PR AUC (${on})`, f4(m.pr_auc)],
                ["Churn rate", pct(m.positive_rate)],
                ["Rows evaluated", m.rows],
              ] as [string, string | number][])
            : []),
          ["Threshold", `${a.threshold.value.toFixed(4)} (${a.threshold.rule})`],
          ...(spec.explainer ? [] : ([["Explanations", "not available for this family"]] as [string, string][])),
        ],
      },
    ],
  });

  const dataBlocks: Block[] = [
    {
      kind: "table",
      caption: "Input columns the model uses",
      columns: ["Column", "Type", "Missing in training"],
      rows: a.inputs.map((c) => [c.name, c.type, pct(a.reference_stats[c.name]?.missing_share ?? 0)]),
    },
  ];
  if (a.derived.length)
    dataBlocks.push({
      kind: "table",
      caption: "Derived features (SQL)",
      columns: ["Feature", "Expression"],
      rows: a.derived.map((d) => [d.name, d.sql]),
    });
  const left = a.schema.columns.filter((c) => c.role === "identifier" || c.role === "ignored");
  const notes = [
    ...left.map((c) => `${c.name}: ${c.role}${c.note ? ` (${c.note})` : ""}`),
    ...a.dropped.map((d) => `${d.column}: dropped, ${d.reason}`),
  ];
  if (notes.length) dataBlocks.push({ kind: "list", items: notes });
  sections.push({ title: "Data", blocks: dataBlocks });
  for (const s of await survivalSections(model, metrics, input.heldOut, input.heldOutOf)) sections.push(s);

  if (metrics.leaderboard) {
    const lb = metrics.leaderboard;
    // A survival search ranks by C-index and has no log loss or PR AUC (NaN in its rows).
    const cIndex = lb.rows[0]?.metric === "c_index";
    const ranked = cIndex ? "C-index" : "AUC";
    sections.push({
      title: "Leaderboard",
      blocks: [
        {
          kind: "text",
          text:
            `Every family was cross-validated (${lb.folds} stratified folds) with a small hyperparameter search` +
            (lb.cv_rows !== undefined && lb.of_rows !== undefined && lb.cv_rows < lb.of_rows
              ? ` on a stratified sample of ${lb.cv_rows.toLocaleString("en")} of the ${lb.of_rows.toLocaleString("en")} training rows (search.max_rows)`
              : "") +
            (lb.choice
              ? `. Rule: among the families within one standard error of the best mean ${ranked}, the simplest and fastest wins (${[
                  ...lb.rows,
                ]
                  .sort((x, y) => (family(x.family).complexity ?? Infinity) - (family(y.family).complexity ?? Infinity))
                  .map((r) => r.family)
                  .join(" < ")}). Chosen: ${lb.choice.reason}. It was refitted on all training rows.`
              : `; the best mean ${ranked} won and was refitted on all training rows.`),
        },
        {
          kind: "table",
          columns: ["Family", ranked, "± std", ...(cIndex ? [] : ["Log loss", "PR AUC"]), "Fit s", "Candidates"],
          rows: lb.rows.map((r) => [
            r.family,
            Number(r.auc_mean.toFixed(4)),
            Number(r.auc_std.toFixed(4)),
            ...(cIndex ? [] : [Number(r.log_loss_mean.toFixed(4)), Number(r.pr_auc_mean.toFixed(4))]),
            Number(r.fit_s_mean.toFixed(3)),
            r.candidates,
          ]),
        },
      ],
    });
  }

  if (m) {
    const series = (mm: DetailedMetrics, name: string) => ({
      name: `${name} ${mm.auc.toFixed(3)}`,
      points: mm.roc.map((p) => ({ x: p.fpr, y: p.tpr })),
    });
    const roc = [
      series(m, metrics.test ? "test" : "validation"),
      ...(metrics.test && metrics.validation ? [series(metrics.validation, "validation")] : []),
    ];
    sections.push({
      title: "ROC curve",
      blocks: [
        {
          kind: "chart",
          svg: await renderSvg(
            curveChart({
              series: roc,
              xTitle: "False positive rate",
              yTitle: "True positive rate (recall)",
              diagonal: true,
            }),
          ),
          caption:
            "How well the scores rank churners above stayers (legend: split and AUC); the dashed diagonal is a random ranking.",
        },
      ],
    });
    sections.push({
      title: "Precision-Recall curve",
      blocks: [
        {
          kind: "chart",
          svg: await renderSvg(
            curveChart({
              series: [
                { name: `${on} ${m.pr_auc.toFixed(3)}`, points: m.pr.map((p) => ({ x: p.recall, y: p.precision })) },
              ],
              xTitle: "Recall (share of churners found)",
              yTitle: "Precision (share of flagged who churn)",
              baseline: m.positive_rate,
              referenceLabel: "churn rate",
            }),
          ),
          caption: `The dashed line is the churn rate (${pct(m.positive_rate)}): the precision of flagging customers at random.`,
        },
      ],
    });
    sections.push({
      title: "Calibration",
      blocks: [
        {
          kind: "chart",
          svg: await renderSvg(
            calibrationChart({
              bins: m.calibration.bins.map((b) => ({
                predicted: b.mean_predicted,
                observed: b.observed_rate,
                count: b.rows,
              })),
            }),
          ),
        },
        {
          kind: "text",
          text: `Expected calibration error ${f4(m.calibration.ece)}${a.calibration ? ` (probabilities calibrated with ${a.calibration.method} on the validation split)` : ""}. Points on the diagonal mean a predicted 30% churns 30% of the time.`,
        },
      ],
    });
    const gains = [{ x: 0, y: 0 }, ...m.lift.deciles.map((d) => ({ x: d.decile / 10, y: d.cumulative_gain }))];
    sections.push({
      title: "Lift and cumulative gains",
      blocks: [
        {
          kind: "chart",
          svg: await renderSvg(
            curveChart({
              series: [{ name: on, points: gains }],
              xTitle: "Share of customers contacted (highest risk first)",
              yTitle: "Share of churners reached",
              diagonal: true,
            }),
          ),
        },
        {
          kind: "table",
          caption: `Top-decile lift ×${m.lift.top_decile.toFixed(2)}; KS ${f4(m.ks)}`,
          columns: ["Decile", "Customers", "Churners", "Churn rate", "Lift", "Cumulative gain"],
          rows: m.lift.deciles.map((d) => [
            d.decile,
            d.rows,
            d.positives,
            pct(d.rate),
            Number(d.lift.toFixed(2)),
            pct(d.cumulative_gain),
          ]),
        },
      ],
    });
    const c = m.confusion;
    const rule =
      a.threshold.rule === "profit"
        ? `chosen to maximise expected retention profit (validation profit ${a.threshold.expected_profit?.toFixed(2)} with value_saved ${a.threshold.economics?.value_saved}, offer_cost ${a.threshold.economics?.offer_cost}, success_rate ${a.threshold.economics?.success_rate})`
        : a.threshold.rule === "f1"
          ? "chosen to maximise F1 on the validation split"
          : "fixed in the configuration";
    sections.push({
      title: "Confusion matrix",
      blocks: [
        {
          kind: "chart",
          svg: await renderSvg(
            confusionMatrixChart({
              ...c,
              positiveLabel: `${a.target.column} = ${a.target.positive}`,
              negativeLabel: "other",
            }),
          ),
        },
        {
          kind: "text",
          text: `At threshold ${m.threshold.toFixed(4)}, ${rule}: accuracy ${f4(m.accuracy)}, precision ${f4(m.precision)}, recall ${f4(m.recall)}, F1 ${f4(m.f1)}.`,
        },
      ],
    });
  }

  const fi = metrics.feature_importance;
  if (fi) {
    const items = Object.entries(fi.permutation).map(([name, s]) => ({
      name,
      value: s.mean,
      lower: s.mean - s.std,
      upper: s.mean + s.std,
    }));
    const blocks: Block[] = [
      {
        kind: "chart",
        svg: await renderSvg(
          importanceChart({
            items,
            xTitle: `Drop in ${fi.metric === "c_index" ? "C-index" : "ROC AUC"} when shuffled`,
            yTitle: "Input column",
            limit: 20,
          }),
        ),
        caption:
          `Permutation importance on the ${fi.measured_on}` +
          (fi.rows !== undefined && fi.of_rows !== undefined && fi.rows < fi.of_rows
            ? ` (a stratified sample of ${fi.rows.toLocaleString("en")} of its ${fi.of_rows.toLocaleString("en")} rows; evaluation.importance_max_rows)`
            : "") +
          "; bars show the mean and ±1 std over repeats.",
      },
    ];
    if (fi.gain)
      blocks.push({
        kind: "chart",
        svg: await renderSvg(
          importanceChart({
            items: Object.entries(fi.gain).map(([name, value]) => ({ name, value })),
            xTitle: "Share of total split gain",
            yTitle: "Input column",
            limit: 20,
          }),
        ),
      });
    if (fi.coefficients)
      blocks.push({
        kind: "chart",
        svg: await renderSvg(
          importanceChart({
            items: Object.entries(fi.coefficients).map(([name, value]) => ({ name, value })),
            xTitle: "Coefficient (log-odds per std / per level)",
            yTitle: "Model column",
            sort: "input",
            limit: 20,
          }),
        ),
      });
    sections.push({ title: "Feature importance", blocks });
  }

  // A family without an explainer has no SHAP sections (the summary says so).
  if (input.heldOut && input.heldOut.rows > 0 && spec.explainer) {
    const k = input.shapRows ?? spec.report.explainRows ?? 300;
    const rows = spread(input.heldOut.rows, k);
    const sample = takeRows(input.heldOut, rows);
    const ex = await model.explain(sample);
    const meanAbs = new Map<string, number>();
    for (const e of ex)
      for (const [col, v] of Object.entries(e.contributions))
        meanAbs.set(col, (meanAbs.get(col) ?? 0) + Math.abs(v) / ex.length);
    const { probability } = await model.predictProba(input.heldOut);
    const top = Array.from(probability, (p, i) => [p, i] as const)
      .sort((x, y) => y[0] - x[0] || x[1] - y[1])
      .slice(0, 5)
      .map(([, i]) => i);
    const topEx = await model.explain(input.heldOut, { rows: top });
    sections.push({
      title: "SHAP summary",
      blocks: [
        {
          kind: "chart",
          svg: await renderSvg(
            importanceChart({
              items: [...meanAbs].map(([name, value]) => ({ name, value })),
              xTitle: "Mean |contribution| to churn log-odds",
              yTitle: "Input column",
              limit: 20,
            }),
          ),
          caption: `Exact ${spec.report.explanation ? `${spec.report.explanation} ` : ""}contributions for ${ex.length} customers of the ${input.heldOutName ?? "held-out rows"}.`,
        },
      ],
    });
    sections.push({
      title: "Highest-risk customers",
      blocks: [
        {
          kind: "table",
          columns: ["Row (0-based)", "Customer", "Churn probability", "Top reasons"],
          rows: topEx.map((e) => explanationCells(e, input.heldOut!, a.id_columns)),
        },
      ],
    });
  }

  return buildReport({
    title: `Churn model report: ${a.target.column}`,
    subtitle: `${a.model.family} model trained on ${a.data_fingerprint.rows.toLocaleString("en")} rows, ${a.created_at}`,
    sections,
    footer: `churnkit ${VERSION}; model format ${a.format_version}; data sha256 ${a.data_fingerprint.sha256.slice(0, 16)}…`,
  });
}

function explanationCells(e: Explanation, t: RawTable, ids: string[]): (string | number)[] {
  const id =
    ids
      .filter((c) => c in t.data)
      .map((c) => String(t.data[c]![e.row] ?? ""))
      .join(" ") || "–";
  const reasons = topContributions(e, 3).map(([col, v]) =>
    describeContribution(col, col in t.data ? t.data[col]![e.row] : "(derived)", v),
  );
  return [e.row, id, pct(e.probability), reasons.join("; ")];
}
