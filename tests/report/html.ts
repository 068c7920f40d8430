/**
 * Test helper: read back the data drawn in a report's HTML. Charts are inline SVG rendered by
 * vega, whose marks carry their data in aria-labels ("field: value; …") and their positions in
 * path coordinates; tables are plain <table> markup.
 */

/** The inner HTML of `<section id="{id}">`; throws when the report has no such section. */
export function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}">`);
  if (start < 0) throw new Error(`the report has no section "${id}"`);
  return html.slice(start, html.indexOf("</section>", start));
}

const unescape = (s: string): string =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");

/** Parse a vega aria-label "a: 1; b: x" into fields. */
export function ariaFields(label: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of unescape(label).split("; ")) {
    const k = part.indexOf(": ");
    out[part.slice(0, k)] = part.slice(k + 2);
  }
  return out;
}

/** Title of the chart's "X" or "Y" axis. */
export function axisTitle(svg: string, axis: "X" | "Y"): string | undefined {
  const m = new RegExp(`aria-label="${axis}-axis titled '([^']*)'`).exec(svg);
  return m ? unescape(m[1]!) : undefined;
}

/** Width and height of the plot area (the first group background, "M0,0h{w}v{h}h-{w}Z"). */
export function plotSize(svg: string): { width: number; height: number } {
  const m = /class="background" aria-hidden="true" d="M0,0h([\d.]+)v([\d.]+)h/.exec(svg);
  if (!m) throw new Error("no plot background in the SVG");
  return { width: Number(m[1]), height: Number(m[2]) };
}

/** Every line mark: the fields of its aria-label (its first point's data) and its points in pixels. */
export function lineMarks(svg: string): { fields: Record<string, string>; points: [number, number][] }[] {
  const out: { fields: Record<string, string>; points: [number, number][] }[] = [];
  for (const m of svg.matchAll(
    /<path aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="line mark" d="([^"]*)"/g,
  )) {
    const points = [...m[2]!.matchAll(/[ML](-?[\d.e+-]+),(-?[\d.e+-]+)/g)].map((p): [number, number] => [
      Number(p[1]),
      Number(p[2]),
    ]);
    out.push({ fields: ariaFields(m[1]!), points });
  }
  return out;
}

/** The fields of every mark of one kind ("rect mark", "text mark", …), from their aria-labels. */
export function marks(svg: string, kind: string): Record<string, string>[] {
  const re = new RegExp(`aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="${kind}"`, "g");
  return [...svg.matchAll(re)].map((m) => ariaFields(m[1]!));
}

/** Header and body cells of the first table in `html`, as text. */
export function table(html: string): { columns: string[]; rows: string[][] } {
  const t = /<table>([\s\S]*?)<\/table>/.exec(html);
  if (!t) throw new Error("no table");
  const cells = (row: string, tag: string) =>
    [...row.matchAll(new RegExp(`<${tag}[^>]*>([\\s\\S]*?)</${tag}>`, "g"))].map((c) => unescape(c[1]!));
  const head = /<thead>([\s\S]*?)<\/thead>/.exec(t[1]!)?.[1] ?? "";
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(t[1]!)?.[1] ?? "";
  return {
    columns: cells(head, "th"),
    rows: [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => cells(r[1]!, "td")),
  };
}
