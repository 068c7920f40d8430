/** The scoring page's style sheet: system fonts, plain cards, readable sizes, no outside assets. */
export const PAGE_CSS = `
:root {
  --ink: #1d2430; --muted: #5b6575; --line: #d9dee7; --bg: #f4f6f9; --card: #ffffff;
  --accent: #2456c7; --accent-ink: #ffffff; --churn: #b42318; --churn-bg: #fdecea; --stay: #17663a; --stay-bg: #e7f5ec;
  --radius: 10px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 15px; line-height: 1.45; color: var(--ink); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.92em; background: #eef1f6; padding: 0 4px; border-radius: 4px; }
a { color: var(--accent); }
.top { display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px 24px; padding: 16px 28px; background: var(--card); border-bottom: 1px solid var(--line); }
.brand { font-weight: 700; font-size: 1.35rem; letter-spacing: -0.01em; }
.brand span { color: var(--accent); }
.meta { color: var(--muted); }
.meta b { color: var(--ink); font-weight: 600; }
main { max-width: 1180px; margin: 24px auto; padding: 0 20px; display: grid; gap: 20px; }
.columns { display: grid; grid-template-columns: minmax(0, 2fr) minmax(280px, 1fr); gap: 20px; align-items: start; }
@media (max-width: 860px) { .columns { grid-template-columns: 1fr; } }
.card { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: 20px 22px; box-shadow: 0 1px 2px rgba(16, 24, 40, 0.04); }
.card h2 { margin: 0 0 6px; font-size: 1.1rem; }
.muted { color: var(--muted); }
.fields { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 14px 16px; margin: 16px 0 18px; }
.field label { display: block; font-weight: 600; font-size: 0.88rem; margin-bottom: 4px; overflow-wrap: anywhere; }
.field .hint { display: block; color: var(--muted); font-size: 0.78rem; margin-top: 3px; }
input, select, button { font: inherit; }
input[type="number"], input[type="password"], select { width: 100%; padding: 7px 9px; border: 1px solid #b9c1cf; border-radius: 7px; background: #fff; color: var(--ink); }
input:focus, select:focus, button:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
input:invalid { border-color: var(--churn); }
button { padding: 8px 16px; border-radius: 7px; border: 1px solid var(--accent); background: var(--accent); color: var(--accent-ink); font-weight: 600; cursor: pointer; }
button.secondary { background: #fff; color: var(--accent); }
button:disabled { opacity: 0.6; cursor: progress; }
.actions, .inline { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; }
.inline input[type="password"] { max-width: 280px; }
.result { position: sticky; top: 16px; }
.prob { font-size: 2.6rem; font-weight: 700; letter-spacing: -0.02em; margin: 8px 0 2px; }
.bar { height: 10px; background: #e6e9ef; border-radius: 5px; overflow: hidden; margin: 6px 0 12px; }
.bar > div { height: 100%; background: var(--accent); }
.decision { display: inline-block; padding: 4px 10px; border-radius: 999px; font-weight: 600; font-size: 0.92rem; }
.decision.churn { color: var(--churn); background: var(--churn-bg); }
.decision.stay { color: var(--stay); background: var(--stay-bg); }
.reasons { list-style: none; padding: 0; margin: 14px 0 0; display: grid; gap: 6px; }
.reasons li { display: flex; justify-content: space-between; gap: 10px; font-size: 0.9rem; border-bottom: 1px dashed var(--line); padding-bottom: 4px; }
.reasons .up { color: var(--churn); font-variant-numeric: tabular-nums; }
.reasons .down { color: var(--stay); font-variant-numeric: tabular-nums; }
.note { margin-top: 12px; font-size: 0.85rem; color: var(--muted); }
.error { color: var(--churn); background: var(--churn-bg); border-radius: 7px; padding: 8px 10px; }
.status { margin-top: 12px; }
.status.ok { color: var(--stay); }
footer { text-align: center; color: var(--muted); font-size: 0.85rem; padding: 8px 0 28px; }
`;
