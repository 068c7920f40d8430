/**
 * A self-contained HTML report: one file with embedded CSS (including print styles) and inline
 * SVG charts. No scripts, no fonts or images fetched, and a Content-Security-Policy that forbids
 * any request, so that it reads the same offline, in a mail attachment or on paper.
 */

/** Escape text for HTML content and attribute values. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** A table. Cells are text (escaped) or numbers (right-aligned); null shows as an empty cell. */
export interface TableBlock {
  /** Block type. */
  kind: "table";
  /** Header cells. */
  columns: string[];
  /** Body rows, one cell per column; null shows as an empty cell. */
  rows: (string | number | null)[][];
  /** Caption above the table; optional. */
  caption?: string;
  /** Per-column alignment; default: right for columns whose cells are all numbers, else left. */
  align?: ("left" | "right")[];
}

/** One piece of a section's content. */
export type Block =
  /** A paragraph of text (escaped). */
  | {
      /** Block type. */
      kind: "text";
      /** The paragraph. */
      text: string;
    }
  /** Trusted HTML, inserted as is (the caller escapes anything from data). */
  | {
      /** Block type. */
      kind: "html";
      /** The HTML fragment. */
      html: string;
    }
  | TableBlock
  /** A chart: an SVG string (from renderSvg), with an optional heading and caption. */
  | {
      /** Block type. */
      kind: "chart";
      /** The chart as an SVG document. */
      svg: string;
      /** Heading above the chart; optional. */
      heading?: string;
      /** Caption under the chart; optional. */
      caption?: string;
    }
  /** A highlighted message; "error" ones are red and bold, for problems that invalidate the data. */
  | {
      /** Block type. */
      kind: "callout";
      /** How serious: "error", "warning" or "info". */
      level: "error" | "warning" | "info";
      /** The message (escaped). */
      text: string;
    }
  /** A bulleted list of text items (escaped). */
  | {
      /** Block type. */
      kind: "list";
      /** The items. */
      items: string[];
    }
  /** Label–value pairs, shown as a compact definition list (e.g. a data summary). */
  | {
      /** Block type. */
      kind: "facts";
      /** The pairs, in display order. */
      items: [string, string | number][];
    }
  /** Blocks laid out side by side, wrapping on narrow screens (e.g. one chart per column). */
  | {
      /** Block type. */
      kind: "grid";
      /** The blocks, in reading order. */
      blocks: Block[];
    };
/** A section: an h2 heading and its blocks. */
export interface Section {
  /** Heading text. */
  title: string;
  /** Anchor id for the table of contents; default derived from the title. */
  id?: string;
  /** The section's content, in order. */
  blocks: Block[];
}

/** Input of {@link buildReport}. */
export interface ReportInput {
  /** Document title (the h1 and the <title>). */
  title: string;
  /** A line under the title, e.g. the source file and time; optional. */
  subtitle?: string;
  /** The sections, in order. */
  sections: Section[];
  /** Small print at the end, e.g. "churnkit 0.4.0"; optional. */
  footer?: string;
  /** Show a table of contents of the sections; default true when there are more than 2 sections. */
  toc?: boolean;
}

const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "") || "section";

function cell(v: string | number | null): string {
  if (v === null) return "";
  if (typeof v === "number") return Number.isInteger(v) ? v.toLocaleString("en") : String(v);
  return escapeHtml(v);
}

function table(t: TableBlock): string {
  const align =
    t.align ??
    t.columns.map((_, j) =>
      t.rows.length > 0 && t.rows.every((r) => r[j] === null || typeof r[j] === "number") ? "right" : "left",
    );
  const cls = (j: number) => (align[j] === "right" ? ' class="num"' : "");
  const head = t.columns.map((c, j) => `<th scope="col"${cls(j)}>${escapeHtml(c)}</th>`).join("");
  const body = t.rows.map((r) => `<tr>${r.map((v, j) => `<td${cls(j)}>${cell(v)}</td>`).join("")}</tr>`).join("\n");
  return `<div class="table-wrap"><table>${t.caption ? `<caption>${escapeHtml(t.caption)}</caption>` : ""}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

/** HTML of one block. */
export function renderBlock(b: Block): string {
  switch (b.kind) {
    case "text":
      return `<p>${escapeHtml(b.text)}</p>`;
    case "html":
      return b.html;
    case "table":
      return table(b);
    case "chart":
      return `<figure class="chart">${b.heading ? `<h3>${escapeHtml(b.heading)}</h3>` : ""}${b.svg}${b.caption ? `<figcaption>${escapeHtml(b.caption)}</figcaption>` : ""}</figure>`;
    case "callout":
      return `<div class="callout ${b.level}" role="${b.level === "error" ? "alert" : "note"}"><strong>${b.level === "error" ? "Problem" : b.level === "warning" ? "Warning" : "Note"}:</strong> ${escapeHtml(b.text)}</div>`;
    case "list":
      return `<ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join("")}</ul>`;
    case "facts":
      return `<dl class="facts">${b.items.map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${cell(v)}</dd></div>`).join("")}</dl>`;
    case "grid":
      return `<div class="grid">${b.blocks.map(renderBlock).join("\n")}</div>`;
  }
}

/** The embedded stylesheet: readable on screen, and on paper (@media print). */
export const REPORT_CSS = `
:root { --fg: #1a1a1a; --muted: #555; --line: #d9d9d9; --bg-alt: #f6f7f9; --blue: #0072B2; --red: #b3261e; --amber: #8a5a00; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; font-size: 15px; color: var(--fg); background: #fff; }
body { margin: 0 auto; max-width: 1200px; padding: 24px 32px 48px; line-height: 1.45; }
h1 { font-size: 1.9rem; margin: 0 0 4px; }
.subtitle { color: var(--muted); margin: 0 0 20px; overflow-wrap: anywhere; }
h2 { font-size: 1.35rem; margin: 36px 0 12px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.05rem; margin: 0 0 6px; overflow-wrap: anywhere; }
nav.toc { background: var(--bg-alt); border: 1px solid var(--line); border-radius: 6px; padding: 8px 16px; margin: 0 0 16px; }
nav.toc ol { margin: 4px 0; padding-left: 20px; columns: 2; }
a { color: var(--blue); }
.table-wrap { overflow-x: auto; margin: 8px 0 16px; }
table { border-collapse: collapse; font-size: 0.9rem; min-width: 50%; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 10px; text-align: left; vertical-align: top; }
th { background: var(--bg-alt); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) td { background: #fbfbfc; }
.grid { display: flex; flex-wrap: wrap; gap: 20px; align-items: flex-start; }
figure.chart { margin: 8px 0 16px; padding: 10px; border: 1px solid var(--line); border-radius: 6px; background: #fff; max-width: 100%; overflow-x: auto; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 0.85rem; margin-top: 6px; max-width: 60ch; }
.callout { border-left: 5px solid var(--blue); background: #eef5fb; padding: 8px 12px; margin: 8px 0; border-radius: 4px; }
.callout.warning { border-color: #E69F00; background: #fff6e5; color: #3d2a00; }
.callout.error { border-color: var(--red); background: #fdecea; color: #5f1410; font-weight: 600; font-size: 1.05rem; }
dl.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 8px 16px; margin: 8px 0 16px; }
dl.facts div { background: var(--bg-alt); border-radius: 6px; padding: 8px 12px; }
dt { color: var(--muted); font-size: 0.85rem; }
dd { margin: 0; font-size: 1.1rem; font-weight: 600; overflow-wrap: anywhere; }
footer { margin-top: 40px; color: var(--muted); font-size: 0.85rem; border-top: 1px solid var(--line); padding-top: 8px; }
@media print {
  html { font-size: 11pt; }
  body { max-width: none; padding: 0; }
  nav.toc { display: none; }
  h2 { break-after: avoid; }
  figure.chart, table, .callout, dl.facts { break-inside: avoid; }
  figure.chart { border: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  tbody tr:nth-child(even) td { background: none; }
}
`;

/** Build the whole HTML document. */
export function buildReport(input: ReportInput): string {
  const ids = new Set<string>();
  const sections = input.sections.map((s) => {
    let id = s.id ?? slug(s.title);
    while (ids.has(id)) id += "-2";
    ids.add(id);
    return { ...s, id };
  });
  const toc = input.toc ?? sections.length > 2;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(input.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header><h1>${escapeHtml(input.title)}</h1>${input.subtitle ? `<p class="subtitle">${escapeHtml(input.subtitle)}</p>` : ""}</header>
${toc ? `<nav class="toc" aria-label="Contents"><strong>Contents</strong><ol>${sections.map((s) => `<li><a href="#${s.id}">${escapeHtml(s.title)}</a></li>`).join("")}</ol></nav>` : ""}
<main>
${sections.map((s) => `<section id="${s.id}">\n<h2>${escapeHtml(s.title)}</h2>\n${s.blocks.map(renderBlock).join("\n")}\n</section>`).join("\n")}
</main>
${input.footer ? `<footer>${escapeHtml(input.footer)}</footer>` : ""}
</body>
</html>
`;
}
