/**
 * The EDA report: a {@link Profile} as one self-contained HTML document (summary, warnings,
 * table of columns, a chart per column, correlation heatmaps, association with the target).
 */
import { basename } from "node:path";
import { categoryChart, type CategoryDatum } from "../visualization/category.js";
import { heatmapChart } from "../visualization/heatmap.js";
import { histogramChart } from "../visualization/histogram.js";
import { importanceChart } from "../visualization/importance.js";
import { renderSvg } from "../visualization/render.js";
import { buildReport, type Block, type Section } from "../visualization/report.js";
import { VERSION } from "../version.js";
import type { ColumnProfile, Profile } from "./types.js";

/** Options of {@link edaReport}. */
export interface EdaReportOptions {
  /** Document title; default "Data exploration: <file name>". */
  title?: string;
  /** Time shown in the subtitle; default now. */
  now?: Date;
  /**
   * At most this many per-column charts (default 100): with a target, the columns whose single-column AUC is
   * furthest from 0.5, else the first in file order; shown in file order. A 2,000-column file would otherwise
   * give a report of 60 MB that no one reads.
   */
  maxCharts?: number;
}

/** Feature columns to chart: all of them, or the `max` most associated with the target (else the first). */
function chartedColumns(p: Profile, max: number): { columns: ColumnProfile[]; of: number } {
  const features = p.columns.filter((c) => c.role === "feature");
  if (features.length <= max) return { columns: features, of: features.length };
  const strength = (c: ColumnProfile) => Math.abs((c.association?.auc ?? 0.5) - 0.5);
  const keep = p.target
    ? new Set([...features].sort((a, b) => strength(b) - strength(a)).slice(0, max))
    : new Set(features.slice(0, max));
  return { columns: features.filter((c) => keep.has(c)), of: features.length };
}

/** A number for a table cell: whole numbers with separators, others with 4 significant digits. */
export function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "";
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return v.toLocaleString("en");
  if (Math.abs(v) >= 1000) return v.toLocaleString("en", { maximumFractionDigits: 1 });
  return String(Number(v.toPrecision(4)));
}
const pct = (x: number | null | undefined, digits = 1): string =>
  x === null || x === undefined ? "" : `${(100 * x).toFixed(digits)}%`;

/** One row of the columns table. */
function columnRow(c: ColumnProfile, p: Profile): (string | number | null)[] {
  const n = c.numeric;
  const top = c.top?.[0];
  const a = c.association;
  const assoc =
    a?.cramersV != null
      ? `V = ${a.cramersV.toFixed(3)}`
      : a?.pointBiserial != null
        ? `r = ${a.pointBiserial.toFixed(3)}`
        : "";
  return [
    c.name,
    c.type,
    c.role + (c.note && c.role !== "feature" ? ` (${c.note})` : ""),
    c.missing ? `${c.missing.toLocaleString("en")} (${pct(c.missingShare)})` : "0",
    c.distinct,
    n ? fmt(n.mean) : "",
    n ? fmt(n.std) : "",
    n ? fmt(n.min) : "",
    n ? fmt(n.quantiles.p50) : "",
    n ? fmt(n.max) : "",
    top ? `${top.value} (${pct(top.share, 0)})` : "",
    ...(p.target ? [assoc, a?.auc != null ? a.auc.toFixed(3) : ""] : []),
  ];
}

/** The chart of one column, or null for identifiers and empty columns. */
async function columnChart(c: ColumnProfile, p: Profile): Promise<Block | null> {
  const overallRate = p.target?.rate;
  if (c.numeric) {
    const spec = histogramChart({
      bins: c.numeric.histogram,
      xTitle: c.name,
      integer: c.numeric.integer,
      rateBins: c.rateByQuantile
        ?.filter((b) => b.rate !== null)
        .map((b) => ({ start: b.start, end: b.end, rate: b.rate!, count: b.count })),
      rateTitle: p.target ? `Churn rate (${p.target.positive})` : undefined,
      overallRate,
    });
    const caption = p.target
      ? `Top: rows per value range. Bottom: churn rate per quantile bin (dashed: overall ${pct(overallRate)}).`
      : "Rows per value range.";
    return {
      kind: "chart",
      heading: c.name,
      svg: await renderSvg(spec, { label: `${c.name}: distribution` }),
      caption,
    };
  }
  if (c.top && c.top.length > 0) {
    const cats: CategoryDatum[] = c.top.map((t) => ({ label: t.value, count: t.count, rate: t.rate ?? null }));
    if (c.other)
      cats.push({
        label: `(${c.other.values.toLocaleString("en")} other values)`,
        count: c.other.count,
        rate: c.other.rate ?? null,
      });
    const spec = categoryChart({
      categories: cats,
      categoryTitle: c.name,
      overallRate,
      rateTitle: p.target ? `Churn rate (${p.target.positive})` : undefined,
    });
    const caption = p.target
      ? `Rows and churn rate per value (dashed: overall ${pct(overallRate)}).`
      : "Rows per value.";
    return { kind: "chart", heading: c.name, svg: await renderSvg(spec, { label: `${c.name}: values` }), caption };
  }
  return null;
}

/** Build the HTML report of a profile. */
export async function edaReport(p: Profile, opts: EdaReportOptions = {}): Promise<string> {
  const sections: Section[] = [];
  const errors = p.warnings.filter((w) => w.severity === "error");
  const ids = p.columns.filter((c) => c.role === "identifier").map((c) => c.name);
  const t = p.target;
  sections.push({
    title: "Summary",
    blocks: [
      ...errors.map((w): Block => ({ kind: "callout", level: "error", text: w.message })),
      {
        kind: "facts",
        items: [
          ["File", basename(p.source)],
          ["Rows", p.rows],
          ["Columns", p.columns.length],
          ["Target", t ? `${t.column} (positive: ${t.positive})${t.guessed ? ", guessed from its name" : ""}` : "none"],
          ...(t
            ? ([
                [
                  "Churn rate",
                  `${pct(t.rate)} (${t.positives.toLocaleString("en")} of ${t.known.toLocaleString("en")})`,
                ],
              ] as [string, string][])
            : []),
          [
            "Numeric / categorical / boolean",
            ["numeric", "categorical", "boolean"].map((k) => p.columns.filter((c) => c.type === k).length).join(" / "),
          ],
          ["Identifier columns", ids.length ? ids.join(", ") : "none"],
          ["Duplicate rows", p.duplicateRows],
          ["Warnings", p.warnings.length],
        ],
      },
    ],
  });
  sections.push({
    title: "Warnings",
    blocks: p.warnings.length
      ? p.warnings.map((w): Block => ({ kind: "callout", level: w.severity, text: w.message }))
      : [
          {
            kind: "text",
            text: "No warnings: no identifier-like, constant, mostly-missing or leaking columns, and no duplicate rows.",
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
          "Role",
          "Missing",
          "Distinct",
          "Mean",
          "Std",
          "Min",
          "Median",
          "Max",
          "Most frequent",
          ...(t ? ["Association with target", "Single-column AUC"] : []),
        ],
        rows: p.columns.map((c) => columnRow(c, p)),
        align: [
          "left",
          "left",
          "left",
          "right",
          "right",
          "right",
          "right",
          "right",
          "right",
          "right",
          "left",
          ...(t ? (["left", "right"] as const) : []),
        ],
      },
      ...(t
        ? [
            {
              kind: "text" as const,
              text: "Association: Cramér's V of a categorical column with the target, or the Pearson correlation r of a numeric column with the 0/1 target. Single-column AUC: how well the column alone ranks churners above the others (0.5: not at all; above 0.99: suspect leakage).",
            },
          ]
        : []),
    ],
  });
  const charts: Block[] = [];
  const charted = chartedColumns(p, opts.maxCharts ?? 100);
  for (const c of charted.columns) {
    const b = await columnChart(c, p);
    if (b) charts.push(b);
  }
  const capNote: Block[] =
    charted.columns.length < charted.of
      ? [
          {
            kind: "text",
            text: `Charts of ${charted.columns.length.toLocaleString("en")} of the ${charted.of.toLocaleString("en")} feature columns: ${p.target ? "those that alone separate the classes best (single-column AUC furthest from 0.5)" : "the first in file order (there is no target to rank them by)"}. The columns table above lists every column.`,
          },
        ]
      : [];
  sections.push({
    title: "Distributions",
    blocks: charts.length
      ? [...capNote, { kind: "grid", blocks: charts }]
      : [{ kind: "text", text: "No feature columns to chart." }],
  });
  const corr = p.correlations;
  if (corr.columns.length >= 2) {
    const heat = async (which: "pearson" | "spearman", name: string) =>
      ({
        kind: "chart",
        heading: name,
        svg: await renderSvg(
          heatmapChart({
            rows: corr.columns,
            columns: corr.columns,
            values: corr[which],
            valueTitle: which === "pearson" ? "Pearson r" : "Spearman ρ",
          }),
          { label: `${name} between numeric columns` },
        ),
      }) as Block;
    sections.push({
      title: "Correlations",
      blocks: [
        {
          kind: "grid",
          blocks: [await heat("pearson", "Pearson correlation"), await heat("spearman", "Spearman rank correlation")],
        },
        {
          kind: "text",
          text:
            "Between numeric feature columns. Pearson measures linear association; Spearman any monotonic one. Values near ±1 mean two columns carry nearly the same information." +
            (corr.selectedBy
              ? ` Only ${corr.columns.length.toLocaleString("en")} of the ${corr.candidates.toLocaleString("en")} numeric columns are shown: ${corr.selectedBy === "target association" ? "those most associated with the target (largest |point-biserial r|)" : "the first in file order (there is no target to rank them by)"}.`
              : ""),
        },
      ],
    });
  } else {
    sections.push({
      title: "Correlations",
      blocks: [{ kind: "text", text: "Fewer than two numeric feature columns: no correlation matrix." }],
    });
  }
  const assoc = p.columns
    .filter((c) => c.association?.cramersV != null)
    .map((c) => ({ name: c.name, value: c.association!.cramersV! }));
  if (t && assoc.length) {
    const svg = await renderSvg(
      importanceChart({ items: assoc, xTitle: "Cramér's V with the target", yTitle: "Column", format: ".2f" }),
      { label: "Cramér's V of categorical columns with the target" },
    );
    sections.push({
      title: "Association with the target",
      blocks: [
        {
          kind: "chart",
          svg,
          caption: `Cramér's V of each categorical or boolean column against ${t.column} (0: independent, 1: the column determines the target).`,
        },
      ],
    });
  }
  return buildReport({
    title: opts.title ?? `Data exploration: ${basename(p.source)}`,
    subtitle: `${p.source} · ${p.rows.toLocaleString("en")} rows × ${p.columns.length} columns · ${(opts.now ?? new Date()).toISOString().replace("T", " ").slice(0, 16)} UTC`,
    sections,
    footer: `Generated by churnkit ${VERSION} in ${(p.elapsedMs / 1000).toFixed(1)} s (profile).`,
  });
}
