/**
 * The scoring page's HTML shell. The form is built in the browser from GET /model, so the
 * page works for any model; it loads only /style.css and /app.js from this server.
 */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>churnkit · score customers</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<header class="top">
  <div class="brand">churn<span>kit</span></div>
  <div id="model-meta" class="meta">loading the model…</div>
</header>
<main>
  <section id="auth" class="card auth" hidden>
    <h2>Access token</h2>
    <p>This server needs a token. It is kept in this browser tab only.</p>
    <form id="auth-form" class="inline">
      <input type="password" id="token" autocomplete="off" placeholder="token" aria-label="access token">
      <button type="submit">Use token</button>
    </form>
  </section>
  <div class="columns">
    <section class="card" id="single">
      <h2>Score one customer</h2>
      <p class="muted">Values start at the most common level or the median of the training data.</p>
      <form id="score-form">
        <div id="fields" class="fields"></div>
        <div class="actions">
          <button type="submit" id="score-button">Score customer</button>
          <button type="reset" class="secondary">Reset</button>
        </div>
      </form>
    </section>
    <aside class="card result" id="result" aria-live="polite">
      <h2>Result</h2>
      <div id="result-body" class="muted">Fill in the form and press <b>Score customer</b>.</div>
    </aside>
  </div>
  <section class="card" id="batch">
    <h2>Score a CSV file</h2>
    <p class="muted">A CSV with the model's input columns (a header row, one customer per line). You get back a CSV with
      the identifier column(s), then <span id="csv-columns">the model's scores</span>, rows in the same order — the
      same file <code>churnkit predict</code> writes.</p>
    <form id="csv-form" class="inline">
      <input type="file" id="csv-file" accept=".csv,text/csv" required aria-label="CSV file">
      <button type="submit" id="csv-button">Score file</button>
    </form>
    <div id="csv-status" class="status" role="status"></div>
  </section>
</main>
<footer>churnkit model server · <a href="/openapi.json">OpenAPI</a> · <a href="/schema">input schema</a> · <a href="/model">model</a></footer>
<script src="/app.js"></script>
</body>
</html>
`;
