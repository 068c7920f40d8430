/**
 * Vega-Lite → Vega → SVG, in Node, without a browser: `vega.View` with `renderer: "none"` and
 * `toSVG()`. Text widths are estimated (no canvas), which is what label limits are based on.
 */
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";
import type { Spec } from "vega";
import type { TopLevelSpec } from "vega-lite";

type Vega = typeof import("vega");
type VegaLite = typeof import("vega-lite");

/**
 * vega and vega-lite are imported on first use, not at load: their module graph has a top-level
 * await (vega-canvas probes for `canvas`), which would make CommonJS `require("churnkit")`
 * (Node's require(esm)) fail with ERR_REQUIRE_ASYNC_MODULE, and it keeps them off the CLI's start-up.
 */
let loaded: Promise<{ vega: Vega; vegaLite: VegaLite }> | undefined;
function loadVega(): Promise<{ vega: Vega; vegaLite: VegaLite }> {
  return (loaded ??= (async () => {
    const [vega, vegaLite] = await Promise.all([import("vega"), import("vega-lite")]);
    await installTextMetrics(vega);
    return { vega, vegaLite };
  })());
}

/**
 * Text width in pixels, estimated per character from the widths of a typical sans-serif face
 * (DejaVu Sans / Helvetica, rounded up). Vega's own estimate without a canvas (0.8 × font size per
 * character) is so generous that labels are cut with "…" at half the space they need.
 */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const ch of text) {
    if ("iljI.,:;|!'`()[] ".includes(ch)) em += 0.34;
    else if ("mwMW@%".includes(ch)) em += 0.98;
    else if (ch >= "A" && ch <= "Z") em += 0.74;
    else if ("frt-".includes(ch)) em += 0.44;
    else em += 0.64;
  }
  return em * fontSize * (bold ? 1.1 : 1);
}

interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
  limit?: number;
}
type Metrics = { width: (item: TextItem, text: unknown) => number };

/** Our width function. Widths above an item's label limit are reported as the limit, so that vega's truncation (which calls back with shorter prefixes) ends with "…" where it should. */
function width(item: TextItem, text: unknown): number {
  const s = text === null || text === undefined ? "" : String(text).trim();
  const size = item.fontSize !== undefined && item.fontSize !== null ? Number(item.fontSize) || 0 : 11;
  const w = textWidth(s, size, item.fontWeight === "bold" || Number(item.fontWeight) >= 600);
  return item.limit && item.limit > 0 && w > item.limit ? item.limit : w;
}

/**
 * Install {@link width} in every copy of vega-scenegraph that vega uses (npm may nest several
 * versions under vega-view, vega-label, …; each has its own textMetrics). A copy that cannot be
 * found keeps vega's own estimate: labels are then cut earlier, nothing breaks.
 */
async function installTextMetrics(vega: Vega): Promise<void> {
  const seen = new Set<Metrics>();
  const patch = (m: Metrics | undefined) => {
    if (m && !seen.has(m)) {
      seen.add(m);
      m.width = width;
    }
  };
  patch((vega as unknown as { textMetrics?: Metrics }).textMetrics);
  const here = createRequire(import.meta.url);
  for (const pkg of [
    "vega-view",
    "vega-label",
    "vega-functions",
    "vega-view-transforms",
    "vega-parser",
    "vega-encode",
  ]) {
    try {
      const pkgPath = here.resolve(pkg, { paths: [dirname(here.resolve("vega"))] });
      const sg = createRequire(pkgPath).resolve("vega-scenegraph");
      patch(((await import(pathToFileURL(sg).href)) as { textMetrics?: Metrics }).textMetrics);
    } catch {
      // not installed: fall back to vega's estimate
    }
  }
}
/** Compile a Vega-Lite spec to a Vega spec (rejects on an invalid spec). Compiler warnings go to stderr when CHURNKIT_DEBUG is set. */
export async function toVega(spec: TopLevelSpec): Promise<Spec> {
  const { vega, vegaLite } = await loadVega();
  return compileSpec(vega, vegaLite, spec);
}

function compileSpec(vega: Vega, vegaLite: VegaLite, spec: TopLevelSpec): Spec {
  return vegaLite.compile(spec, { logger: vega.logger(process.env.CHURNKIT_DEBUG ? vega.Warn : 0) }).spec;
}

let counter = 0;

/**
 * Give the SVG's element ids (clip paths, gradients) a unique prefix, so that several charts
 * inlined into one HTML page do not refer to each other's `clip1`.
 */
export function uniquifyIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, `id="${prefix}$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${prefix}$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${prefix}$1"`);
}

/** Options of {@link renderSvg}. */
export interface RenderOptions {
  /** Prefix for the SVG's element ids; default a process-unique "ck<n>-". */
  idPrefix?: string;
  /** Accessible label of the chart (the SVG's aria-label); default the spec's description or title. */
  label?: string;
}

/** Names of Object.prototype's members ("constructor", "valueOf", ...). */
const PROTO_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * Vega groups and sorts values with plain-object maps, so a label such as "constructor" (a
 * user's column or category name) breaks rendering. Such labels get a zero-width space, which
 * reads the same in the SVG.
 */
function protoSafe<T>(v: T): T {
  if (typeof v === "string") return (PROTO_KEYS.has(v) ? `${v}\u200b` : v) as T;
  if (Array.isArray(v)) return v.map(protoSafe) as T;
  if (v === null || typeof v !== "object") return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, protoSafe(x)])) as T;
}

/** Render a Vega-Lite spec to a standalone SVG string (no scripts, no external references). */
export async function renderSvg(spec: TopLevelSpec, opts: RenderOptions = {}): Promise<string> {
  const { vega, vegaLite } = await loadVega();
  const view = new vega.View(vega.parse(compileSpec(vega, vegaLite, protoSafe(spec))), { renderer: "none" });
  try {
    const svg = await view.toSVG();
    const prefix = opts.idPrefix ?? `ck${++counter}-`;
    const label = opts.label ?? spec.description ?? (typeof spec.title === "string" ? spec.title : undefined);
    const named = label ? svg.replace(/^<svg /, `<svg role="img" aria-label="${escapeAttr(label)}" `) : svg;
    return uniquifyIds(named, prefix);
  } finally {
    view.finalize();
  }
}

const escapeAttr = (s: string): string => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
