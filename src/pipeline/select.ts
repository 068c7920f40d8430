/**
 * `--model auto`: stratified k-fold cross-validation of every family in `search.families`,
 * each with a small random hyperparameter search pruned by successive halving: all
 * candidates are scored on the first fold, the better half goes on to every fold.
 * The winner follows the one-standard-error rule: among the families whose best candidate's mean AUC is
 * within one standard error of the highest, the simplest and fastest (the registry's `complexity` rank:
 * logreg < tree < gbdt < forest) wins, as a careful analyst would choose.
 */
import type { Config } from "../config/schema.js";
import { complement, stratifiedKFold, stratifiedSample } from "../data/split.js";
import type { Logger } from "../utils/logging.js";
import { Rng } from "../utils/random.js";
import { withProgress } from "../utils/progress.js";
import { checkParams, family } from "../learners/families.js";
import { averagePrecision, logLoss, rocAuc } from "../evaluation/metrics.js";
import { encodeRows, fitFamily, type PreparedData } from "./fit.js";
import { concordanceIndex } from "../evaluation/survival.js";
import { fits } from "./survival.js";
import type { Task } from "../core/types.js";
import { UserError } from "../utils/errors.js";
import type { Leaderboard, LeaderboardChoice, LeaderboardRow } from "../artifact/metrics-file.js";

export type { Leaderboard, LeaderboardChoice, LeaderboardRow } from "../artifact/metrics-file.js";

interface FoldScore {
  /** AUC (classification) or Harrell's C-index (survival): what `auto` ranks by. */
  auc: number;
  logLoss: number;
  prAuc: number;
  fit: number;
}

const meanStd = (xs: number[]): [number, number] => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return [m, Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length)];
};

/**
 * `family: auto`: cross-validate every searched family's default and random candidates (successive halving
 * keeps the better half after the first fold) on at most `search.max_rows` of `allRows` (a stratified sample), and
 * return the winner with the leaderboard. The caller fits the winner on every row.
 */
export async function selectFamily(
  data: PreparedData,
  allRows: Int32Array,
  cfg: Config,
  log: Logger,
): Promise<{ family: string; params: Record<string, unknown>; leaderboard: Leaderboard }> {
  const k = cfg.split.folds;
  const sample = stratifiedSample(
    Uint8Array.from(allRows, (i) => data.y[i]!),
    cfg.search.max_rows,
    cfg.seed + 11,
  );
  const rows = sample ? sample.map((i) => allRows[i]!) : allRows;
  if (sample)
    log.info(
      `auto: cross-validating on ${rows.length} of ${allRows.length} training rows (stratified; search.max_rows)`,
    );
  const yRows = Uint8Array.from(rows, (i) => data.y[i]!);
  const folds = stratifiedKFold(yRows, k, cfg.seed).map((held) => ({
    held: held.map((i) => rows[i]!),
    train: complement(rows.length, held).map((i) => rows[i]!),
  }));
  const rng = new Rng(cfg.seed + 7);
  const task: Task = data.duration ? "survival" : "classification";
  // The survival task compares the families that fit it (by C-index), classification those that fit it (by AUC).
  const names = cfg.search.families.filter((f) => fits(f, task));
  const left = cfg.search.families.filter((f) => !fits(f, task));
  if (names.length === 0)
    throw new UserError(
      `search.families (${cfg.search.families.join(", ")}): none fits the ${task} task; list families that do`,
    );
  if (left.length > 0) log.info(`auto: ${left.join(", ")} left out (${task} is not among their tasks)`);
  const plans = names.map((name) => {
    const spec = family(name);
    // A task's own defaults (gbdt's survival settings: the family's `taskParams`) are the base of every candidate,
    // as they are of a single family's fit (train.ts); a candidate's sampled settings replace them.
    const base = task === "classification" ? {} : (spec.taskParams?.[task] ?? {});
    const cands = [checkParams(name, base)];
    for (let c = 0; c < cfg.search.candidates; c++)
      cands.push(checkParams(name, { ...base, ...(spec.sample ? spec.sample(rng) : {}) }));
    return { name, cands };
  });
  const total = plans.reduce((s, p) => s + p.cands.length + Math.ceil(p.cands.length / 2) * (k - 1), 0);
  const scoreFold = async (name: string, params: Record<string, unknown>, f: number): Promise<FoldScore> => {
    const fold = folds[f]!;
    const fitted = await fitFamily(data, fold.train, name, params, cfg);
    const test = encodeRows(data, fitted.pre, fold.held);
    if (task === "survival") {
      const risk = fitted.clf.predictRaw(test.X);
      return {
        auc: concordanceIndex({ time: test.duration!, event: test.y }, risk),
        logLoss: NaN,
        prAuc: NaN,
        fit: fitted.fitSeconds,
      };
    }
    const p = fitted.clf.predictProba(test.X);
    return {
      auc: rocAuc(test.y, p),
      logLoss: logLoss(test.y, p),
      prAuc: averagePrecision(test.y, p),
      fit: fitted.fitSeconds,
    };
  };
  const rowsOut: LeaderboardRow[] = [];
  await withProgress("auto", total, async (bar) => {
    for (const plan of plans) {
      const first: { params: Record<string, unknown>; scores: FoldScore[] }[] = [];
      for (const params of plan.cands) {
        first.push({ params, scores: [await scoreFold(plan.name, params, 0)] });
        bar.tick();
      }
      // Successive halving: the better half (by first-fold AUC) is scored on every fold.
      const survivors = first
        .map((c, i) => ({ ...c, i }))
        .sort((a, b) => b.scores[0]!.auc - a.scores[0]!.auc || a.i - b.i)
        .slice(0, Math.ceil(first.length / 2));
      for (const s of survivors) {
        for (let f = 1; f < k; f++) {
          s.scores.push(await scoreFold(plan.name, s.params, f));
          bar.tick();
        }
      }
      const ranked = survivors
        .map((s) => ({ s, auc: meanStd(s.scores.map((x) => x.auc)) }))
        .sort((a, b) => b.auc[0] - a.auc[0] || a.s.i - b.s.i);
      const best = ranked[0]!.s;
      const [aucM, aucS] = meanStd(best.scores.map((x) => x.auc));
      const [llM, llS] = meanStd(best.scores.map((x) => x.logLoss));
      const [prM, prS] = meanStd(best.scores.map((x) => x.prAuc));
      const [fitM, fitS] = meanStd(best.scores.map((x) => x.fit));
      rowsOut.push({
        family: plan.name,
        params: best.params,
        auc_mean: aucM,
        auc_std: aucS,
        ...(task === "survival" ? { metric: "c_index" as const } : {}),
        log_loss_mean: llM,
        log_loss_std: llS,
        pr_auc_mean: prM,
        pr_auc_std: prS,
        fit_s_mean: fitM,
        fit_s_std: fitS,
        candidates: plan.cands.length,
      });
      log.info(
        `auto: ${plan.name} ${task === "survival" ? "C-index" : "AUC"} ${aucM.toFixed(4)} ± ${aucS.toFixed(4)}, log loss ${llM.toFixed(4)}, fit ${fitM.toFixed(3)} s`,
      );
    }
  });
  rowsOut.sort((a, b) => b.auc_mean - a.auc_mean || a.family.localeCompare(b.family));
  const choice = chooseFamily(rowsOut, k);
  const won = rowsOut.find((r) => r.family === choice.family)!;
  return {
    family: won.family,
    params: won.params,
    leaderboard: { folds: k, rows: rowsOut, cv_rows: rows.length, of_rows: allRows.length, choice },
  };
}

const rank = (name: string): number => family(name).complexity ?? Infinity;

/**
 * The one-standard-error rule over leaderboard rows sorted best mean AUC first: the lowest `complexity`
 * among the rows within one standard error of the best (ties: the higher AUC, i.e. leaderboard order).
 */
export function chooseFamily(rows: readonly LeaderboardRow[], folds: number): LeaderboardChoice {
  const best = rows[0]!;
  const se = best.auc_std / Math.sqrt(Math.max(folds - 1, 1)); // auc_std is the population SD of the folds
  const within = rows.filter((r) => r.auc_mean >= best.auc_mean - se);
  const won = within.reduce((w, r) => (rank(r.family) < rank(w.family) ? r : w));
  const seText = `one standard error (${se.toFixed(4)})`;
  const m = best.metric === "c_index" ? "C-index" : "AUC";
  const reason =
    won === best
      ? `${won.family} has the best mean ${m} (${best.auc_mean.toFixed(4)}) and no simpler family is within ${seText} of it`
      : `${won.family} (${m} ${won.auc_mean.toFixed(4)}) is the simplest family within ${seText} of the best mean ${m} (${best.family}, ${best.auc_mean.toFixed(4)}): a difference that small is noise, so the simpler, faster model wins`;
  return { family: won.family, best: best.family, standard_error: se, within: within.map((r) => r.family), reason };
}

/** The leaderboard as aligned text lines, for `run` and logs. */
export function formatLeaderboard(lb: Leaderboard): string {
  // A survival search ranks by C-index and has no log loss or PR AUC.
  const cIndex = lb.rows[0]?.metric === "c_index";
  const head = `${"family".padEnd(8)} ${(cIndex ? "C-index" : "AUC").padEnd(17)} ${cIndex ? "" : `${"log loss".padEnd(17)} ${"PR AUC".padEnd(17)} `}fit s`;
  const f = (m: number, s: number) => `${m.toFixed(4)} ± ${s.toFixed(4)}`.padEnd(17);
  return [
    head,
    ...lb.rows.map(
      (r) =>
        `${r.family.padEnd(8)} ${f(r.auc_mean, r.auc_std)} ${cIndex ? "" : `${f(r.log_loss_mean, r.log_loss_std)} ${f(r.pr_auc_mean, r.pr_auc_std)} `}${r.fit_s_mean.toFixed(3)}`,
    ),
    ...(lb.choice ? [`chosen: ${lb.choice.reason}`] : []),
  ].join("\n");
}
