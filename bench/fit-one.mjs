// Fit one churnkit family on a training CSV and score a test CSV, in a process of its own so
// that its peak memory is its own. Prints one JSON line: {model, auc, fit_s, peak_rss_mb}.
// Usage: node bench/fit-one.mjs FAMILY TRAIN.csv TEST.csv TARGET [DROP,...] [PARAMS_JSON]
import { loadTable } from "../dist/data/load.js";
import { parseConfig } from "../dist/config/load.js";
import { prepareTraining } from "../dist/pipeline/train.js";
import { fitFamily } from "../dist/pipeline/fit.js";
import { checkParams } from "../dist/learners/families.js";
import { ChurnKit } from "../dist/pipeline/churnkit.js";
import { typeTable } from "../dist/data/typed.js";
import { addDerived } from "../dist/features/derived.js";
import { transform } from "../dist/data/preprocess.js";
import { encodeTarget, resolveTarget } from "../dist/data/target.js";
import { rocAuc } from "../dist/evaluation/metrics.js";

const [family, trainPath, testPath, target, drop = "", paramsJson = "{}", configJson = "{}"] = process.argv.slice(2);
const extra = JSON.parse(configJson);
const cfg = parseConfig({
  ...extra,
  data: { ...extra.data, target, drop: drop.split(",").filter(Boolean) },
  model: { ...extra.model, family },
});
const train = await loadTable(trainPath);
const test = await loadTable(testPath);
let fitSeconds;
let p;
if (family === "auto") {
  // auto: the whole search plus the final fit, as `churnkit train --model auto` runs it.
  const t0 = performance.now();
  const r = await new ChurnKit({ ...cfg, model: { ...cfg.model, family: "auto", refit: true } }).train(train);
  fitSeconds = (performance.now() - t0) / 1000;
  p = (await r.model.predictProba(test)).probability;
  var chosen = r.model.family;
} else {
  const prep = await prepareTraining(train, cfg);
  const params = checkParams(family, JSON.parse(paramsJson));
  const fitted = await fitFamily(prep.data, null, family, params, cfg);
  fitSeconds = fitted.fitSeconds;
  const inputs = prep.data.inputs
    .filter((i) => !prep.derived.some((d) => d.name === i.column))
    .map((i) => ({ name: i.column, type: i.type }));
  const { table } = await addDerived(typeTable(test, inputs), prep.derived);
  p = fitted.clf.predictProba(transform(fitted.pre, table).X);
}
const { y, rows } = encodeTarget(test, resolveTarget(train, target));
const auc = rocAuc(
  y,
  Float64Array.from(rows, (r) => p[r]),
);
const rss = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ model: family, ...(chosen ? { chosen } : {}), auc, fit_s: fitSeconds, peak_rss_mb: rss }));
