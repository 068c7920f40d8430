/**
 * The scoring page's script (plain browser JavaScript, no build step). It reads the model's
 * input fields from GET /model, builds the form, scores one customer with
 * POST /predict?explain=true (falling back to no explanation when the model has none), and
 * scores an uploaded CSV with POST /predict.csv, handing the result back as a download.
 * Kept free of template literals so that it can live in this TypeScript string.
 */
export const PAGE_JS = String.raw`"use strict";
(function () {
  var TOKEN_KEY = "churnkit-token";
  var token = sessionStorage.getItem(TOKEN_KEY) || "";
  var model = null;
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) {
      if (k === "text") node.textContent = props[k];
      else if (k === "className") node.className = props[k];
      else node.setAttribute(k, props[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }

  function call(path, init) {
    init = init || {};
    var headers = Object.assign({}, init.headers || {});
    if (token) headers.Authorization = "Bearer " + token;
    return fetch(path, Object.assign({}, init, { headers: headers })).then(function (r) {
      if (r.status === 401) { $("auth").hidden = false; throw new Error("this server needs an access token (enter it above)"); }
      return r;
    });
  }

  function errorOf(r) {
    return r.json().then(function (b) { return b && b.error ? b.error : "HTTP " + r.status; }, function () { return "HTTP " + r.status; });
  }

  var pct = function (p) { return (100 * p).toFixed(1) + "%"; };
  var num = function (x) { return String(Math.round(Number(x) * 100) / 100); };

  function showMeta(m) {
    var meta = $("model-meta");
    meta.textContent = "";
    var parts = [["model", m.name], ["family", m.family], ["trained", (m.trained_at || "").slice(0, 10)]];
    if (m.metrics && typeof m.metrics.auc === "number") parts.push(["validation AUC", m.metrics.auc.toFixed(3)]);
    if (m.survival) {
      parts.push(["duration", m.survival.duration]);
      parts.push(["horizons", m.survival.horizons.join(", ")]);
      if (m.survival.metrics && typeof m.survival.metrics.c_index === "number") parts.push(["validation C-index", m.survival.metrics.c_index.toFixed(3)]);
    }
    parts.push(["threshold", num(m.threshold.value)]);
    parts.forEach(function (p, i) {
      if (i) meta.appendChild(document.createTextNode(" · "));
      meta.appendChild(document.createTextNode(p[0] + " "));
      meta.appendChild(el("b", { text: p[1] }));
    });
  }

  // The columns of a scored CSV, as GET /model lists them (the server's prediction schema): a survival model's
  // churn_within_H, expected_remaining and revenue_at_risk_H too.
  function showColumns(m) {
    var box = $("csv-columns");
    var cols = m.output_columns;
    box.textContent = "";
    cols.forEach(function (c, i) {
      if (i) box.appendChild(document.createTextNode(i === cols.length - 1 ? " and " : ", "));
      box.appendChild(el("code", { text: c }));
    });
  }

  function control(f) {
    var id = "f-" + f.name.replace(/[^A-Za-z0-9_-]/g, "_");
    var input;
    if (f.type === "numeric") {
      input = el("input", { type: "number", step: "any", id: id, name: f.name });
      if (f.min !== undefined) input.min = String(f.min);
      if (f.max !== undefined) input.max = String(f.max);
      if (f.typical !== undefined) input.value = String(f.typical);
      if (!f.nullable) input.required = true;
      else input.placeholder = "empty = missing";
    } else {
      input = el("select", { id: id, name: f.name });
      var options = f.type === "boolean" ? [["yes", "yes"], ["no", "no"]] : (f.levels || []).map(function (l) { return [l, l]; });
      if (f.nullable) options.push(["", "(missing)"]);
      options.forEach(function (o) { input.appendChild(el("option", { value: o[0], text: o[1] })); });
      if (f.type === "boolean") input.value = f.typical === 1 ? "yes" : "no";
      else if (f.typical !== undefined) input.value = String(f.typical);
    }
    input.dataset.type = f.type;
    var hint = f.type === "numeric" && f.min !== undefined ? "training range " + num(f.min) + " – " + num(f.max) : f.type;
    input.defaultValue = input.value;
    return el("div", { className: "field" }, [el("label", { for: id, text: f.name }), input, el("span", { className: "hint", text: hint })]);
  }

  function buildForm(m) {
    var box = $("fields");
    box.textContent = "";
    m.inputs.forEach(function (f) { box.appendChild(control(f)); });
  }

  function readRow() {
    var row = Object.create(null); // a column may be named "__proto__"
    Array.prototype.forEach.call($("fields").querySelectorAll("input, select"), function (c) {
      var v = c.value;
      if (v === "") row[c.name] = null;
      // Text that is not a finite number goes as text, for the server to name (JSON would send null).
      else row[c.name] = c.dataset.type === "numeric" && isFinite(Number(v)) ? Number(v) : v;
    });
    return row;
  }

  function showResult(p) {
    var body = $("result-body");
    body.className = "";
    body.textContent = "";
    var churn = p.churn_prediction;
    var bar = el("div", { className: "bar" }, [el("div", {})]);
    bar.firstChild.style.width = (100 * p.churn_probability).toFixed(1) + "%";
    var surv = model.survival;
    body.appendChild(el("div", { className: "muted", text: surv ? "chance of leaving within " + surv.horizons[0] + " (" + surv.duration + ")" : "churn probability" }));
    body.appendChild(el("div", { className: "prob", id: "probability", text: pct(p.churn_probability) }));
    body.appendChild(bar);
    body.appendChild(el("span", { className: "decision " + (churn ? "churn" : "stay"), id: "decision", text: churn ? "likely to churn" : "likely to stay" }));
    body.appendChild(el("div", { className: "note", text: "decision threshold " + pct(model.threshold.value) }));
    if (surv) {
      // Every horizon, the expected remaining time and (with a value column) the revenue at risk.
      var table = el("table", { className: "horizons", id: "horizons" });
      table.appendChild(el("tr", {}, [el("th", { text: "within " + surv.duration }), el("th", { text: "chance of leaving" })].concat(surv.value ? [el("th", { text: "revenue at risk" })] : [])));
      surv.horizons.forEach(function (h) {
        var cells = [el("td", { text: String(h) }), el("td", { text: pct(p["churn_within_" + h]) })];
        if (surv.value) cells.push(el("td", { text: p["revenue_at_risk_" + h] === null ? "–" : num(p["revenue_at_risk_" + h]) }));
        table.appendChild(el("tr", {}, cells));
      });
      body.appendChild(table);
      body.appendChild(el("div", { className: "note", id: "remaining", text: "expected remaining " + surv.duration + ": " + num(p.expected_remaining) + " (up to " + surv.max_duration + ")" }));
    }
    if (p.contributions && p.contributions.length) {
      body.appendChild(el("h3", { text: "Top reasons" }));
      var list = el("ul", { className: "reasons" });
      p.contributions.forEach(function (c) {
        var label = c.feature + (c.value !== undefined && c.value !== null ? " = " + c.value : "");
        var up = c.contribution > 0;
        list.appendChild(el("li", {}, [el("span", { text: label }), el("span", { className: up ? "up" : "down", text: (up ? "▲ +" : "▼ ") + c.contribution.toFixed(3) })]));
      });
      body.appendChild(list);
    }
    if (p.unseen && p.unseen.length) {
      body.appendChild(el("div", { className: "note", text: "Not seen in training: " + p.unseen.map(function (u) { return u.column + " = " + u.value; }).join(", ") }));
    }
  }

  function showError(target, message) {
    var node = $(target);
    node.textContent = "";
    node.className = "status";
    node.appendChild(el("div", { className: "error", text: message }));
  }

  function predict(row, explain) {
    return call("/predict" + (explain ? "?explain=true" : ""), {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ rows: [row] }),
    }).then(function (r) {
      if (r.ok) return r.json();
      return errorOf(r).then(function (msg) {
        if (explain && r.status === 400 && /cannot explain/.test(msg)) return predict(row, false);
        throw new Error(msg);
      });
    });
  }

  function onScore(ev) {
    ev.preventDefault();
    if (!ev.target.reportValidity()) return;
    var button = $("score-button");
    button.disabled = true;
    predict(readRow(), true)
      .then(function (b) { showResult(b.predictions[0]); })
      .catch(function (e) { showError("result-body", e.message); })
      .finally(function () { button.disabled = false; });
  }

  function filename(r) {
    var m = /filename="([^"]+)"/.exec(r.headers.get("content-disposition") || "");
    return m ? m[1] : "scores.csv";
  }

  function onCsv(ev) {
    ev.preventDefault();
    var file = $("csv-file").files[0];
    if (!file) return;
    var button = $("csv-button");
    var status = $("csv-status");
    button.disabled = true;
    status.className = "status muted";
    status.textContent = "Scoring " + file.name + "…";
    file.text()
      .then(function (text) { return call("/predict.csv", { method: "POST", headers: { "Content-Type": "text/csv" }, body: text }); })
      .then(function (r) {
        if (!r.ok) return errorOf(r).then(function (msg) { throw new Error(msg); });
        var name = filename(r);
        var rows = r.headers.get("x-churnkit-rows");
        return r.blob().then(function (blob) {
          var url = URL.createObjectURL(blob);
          var a = el("a", { href: url, download: name });
          document.body.appendChild(a);
          a.click();
          a.remove();
          setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
          status.className = "status ok";
          status.textContent = "Scored " + rows + " rows: downloaded " + name + ".";
        });
      })
      .catch(function (e) { showError("csv-status", e.message); })
      .finally(function () { button.disabled = false; });
  }

  function load() {
    return call("/model").then(function (r) {
      if (!r.ok) return errorOf(r).then(function (msg) { throw new Error(msg); });
      return r.json();
    }).then(function (m) {
      model = m;
      $("auth").hidden = true;
      showMeta(m);
      showColumns(m);
      buildForm(m);
      document.body.dataset.ready = "true";
    }).catch(function (e) { $("model-meta").textContent = e.message; });
  }

  $("auth-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    token = $("token").value.trim();
    sessionStorage.setItem(TOKEN_KEY, token);
    load();
  });
  $("score-form").addEventListener("submit", onScore);
  $("score-form").addEventListener("reset", function () { setTimeout(function () { $("result-body").className = "muted"; }, 0); });
  $("csv-form").addEventListener("submit", onCsv);
  load();
})();
`;
