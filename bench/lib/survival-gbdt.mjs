// One gbdt survival fit on a simulated table (bench/lib/survival-table.mjs), scored on fresh rows: Harrell's C-index
// and the test rows' Efron partial log-likelihood per event, with the fit's CPU seconds. Shared by the survival
// benches that compare one gbdt setting against another (survival-ties.mjs, survival-bins.mjs).
import { checkParams, family } from "../../dist/learners/families.js";
import { concordance } from "../../dist/evaluation/survival.js";
import { logPartialLikelihood, riskOrder } from "../../dist/learners/partial-likelihood.js";
import { nativeMatrix } from "./survival-table.mjs";

/** C-index and partial log-likelihood per event of `risk` (log hazards) on the table `test`. */
export function survivalScores(test, risk) {
  let events = 0;
  for (const e of test.event) events += e;
  return {
    c: concordance(test, risk).cIndex,
    pl: logPartialLikelihood(riskOrder(test.time), test.event, Float64Array.from(risk), "efron") / events,
  };
}

/** gbdt with its survival defaults and `params` on top, fitted on `train` (seed 0, one thread), scored on `test`. */
export async function fitSurvivalGbdt(train, test, params) {
  const c0 = process.cpuUsage();
  const model = await family("gbdt")
    .create(checkParams("gbdt", { ...family("gbdt").taskParams.survival, ...params }))
    .fit(nativeMatrix(train), train.event, { seed: 0, threads: 1, duration: train.time });
  const c = process.cpuUsage(c0);
  return { ...survivalScores(test, model.predictRaw(nativeMatrix(test))), cpu: (c.user + c.system) / 1e6 };
}
