/**
 * The drift report: one self-contained HTML file in the style of the other reports (inline SVG charts rendered in
 * Node, no scripts, no requests). A summary and the verdict, the score distribution then and now, a table of every
 * input column (PSI, band, missing values, unseen categories), and a chart of each drifted column.
 */
import type { ModelArtifact } from "../artifact/artifact.js";
import { comparisonChart } from "../visualization/comparison.js";
import { renderSvg } from "../visualization/render.js";
import { buildReport, type Block, type Section } from "../visualization/report.js";
import { VERSION } from "../version.js";
import type { ColumnDrift, DriftResult } from "./drift.js";

/** What the drift report is built from. */
export interface DriftReportInput {
  /** The drift of the data. */
  result: DriftResult;
  /** The model checked against. */
  artifact: ModelArtifact;
  /** The data file checked. */
  data: string;
  /** When the check ran (ISO); default now. */
  at?: string;
}

const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : "–");
const f3 = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? String(Number(v.toPrecision(4))) : "–");

async function chart(c: ColumnDrift, heading: string, bins?: string): Promise<Block> {
  return {
    kind: "chart",
    heading,
    svg: await renderSvg(comparisonChart({ bins: c.bins, binTitle: c.column, names: ["training", "current"] }), {
      label: `${c.column}: share of rows per bin, training and current`,
    }),
    caption: `PSI ${c.value.toFixed(3)} (${c.band}; drift at ${c.threshold.toFixed(3)}). ${
      bins ??
      (c.type === "categorical"
        ? "Levels with under 1% of the training rows are counted together."
        : "Bins: the training deciles.")
    }`,
  };
}

/** The drift report as one self-contained HTML string. */
export async function driftReport(input: DriftReportInput): Promise<string> {
  const { result: r, artifact: a } = input;
  const sections: Section[] = [];
  const verdict = r.drifted
    ? `Drift: ${r.drifted_columns.length} of ${r.columns.length} input columns drifted${r.score.drifted ? ", and the score did" : ""}.`
    : r.score.drifted
      ? "Drift: the score drifted."
      : `No drift: no input column and not the score (rule: ${r.rule}).`;
  sections.push({
    title: "Summary",
    blocks: [
      { kind: "callout", level: r.drifted ? "warning" : "info", text: verdict },
      {
        kind: "facts",
        items: [
          ["Data", input.data],
          ["Rows checked", r.rows],
          ["Training rows", r.columns[0]?.reference_rows ?? a.data_fingerprint.rows],
          ["Input columns drifted", `${r.drifted_columns.length} of ${r.columns.length} (${pct(r.drifted_share)})`],
          ["Score PSI", `${r.score.value.toFixed(3)} (${r.score.band})`],
          ["Model", `${a.model.family}, trained ${a.created_at}`],
        ],
      },
      { kind: "text", text: `Rule: ${r.rule}. PSI bands: below 0.1 stable, 0.1 to 0.25 moderate, 0.25 or more major.` },
    ],
  });
  sections.push({
    title: "Score distribution",
    blocks: [
      await chart(
        r.score,
        "Churn probability, validation split at training vs current rows",
        "Bins of width 0.05 (empty ones left out).",
      ),
      {
        kind: "text",
        text: `Mean churn probability ${f3(r.score.mean_reference)} at training (${r.score.reference_rows.toLocaleString("en")} validation rows), ${f3(r.score.mean_current)} now.`,
      },
    ],
  });
  sections.push({
    title: "Columns",
    blocks: [
      {
        kind: "table",
        columns: [
          "Column",
          "Type",
          "PSI",
          "Band",
          "Drifted",
          "Missing (training)",
          "Missing (current)",
          "Mean (training)",
          "Mean (current)",
          "Unseen levels",
        ],
        rows: [...r.columns]
          .sort((x, y) => y.value - x.value || (x.column < y.column ? -1 : 1))
          .map((c) => [
            c.column,
            c.type,
            Number(c.value.toFixed(4)),
            c.band,
            c.drifted ? "yes" : "no",
            pct(c.missing_reference),
            pct(c.missing_current),
            c.type === "categorical" ? "" : f3(c.mean_reference),
            c.type === "categorical" ? "" : f3(c.mean_current),
            c.type === "categorical"
              ? `${c.unseen_levels ?? 0}${c.unseen_levels ? ` (${pct(c.unseen_share ?? 0)} of rows: ${(c.unseen_examples ?? []).join(", ")})` : ""}`
              : "",
          ]),
        align: ["left", "left", "right", "left", "left", "right", "right", "right", "right", "left"],
      },
    ],
  });
  const drifted = r.columns.filter((c) => c.drifted);
  sections.push({
    title: "Drifted columns",
    blocks: drifted.length
      ? [{ kind: "grid", blocks: await Promise.all(drifted.map((c) => chart(c, c.column))) }]
      : [{ kind: "text", text: "No input column drifted." }],
  });
  return buildReport({
    title: `Drift report: ${a.target.column} model`,
    subtitle: `${input.data}, checked ${input.at ?? new Date().toISOString()}`,
    sections,
    footer: `churnkit ${VERSION}; model format ${a.format_version}; data sha256 ${a.data_fingerprint.sha256.slice(0, 16)}…`,
  });
}
