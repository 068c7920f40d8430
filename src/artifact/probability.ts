/**
 * The churn probability of encoded rows: the classifier's, then the stored calibration if any, every value checked.
 * The one place of this rule, used by ChurnModel.scoreMatrix and by the batch-scoring workers (io/score-worker.ts),
 * which import this small module rather than the whole model facade.
 */
import type { Classifier, Matrix } from "../core/types.js";
import { applyCalibration, type CalibrationState } from "../learners/calibration.js";
import { UserError } from "../utils/errors.js";

/** Probabilities of the rows of `X` (`rowOffset` shifts row numbers in errors: a chunk of a stream). */
export function churnProbability(
  clf: Classifier,
  calibration: CalibrationState | null | undefined,
  X: Matrix,
  rowOffset = 0,
): Float64Array {
  const p0 = clf.predictProba(X);
  const p = calibration ? applyCalibration(calibration, clf.predictRaw(X), p0) : p0;
  // Last line of defence: a probability that is not a number is an error, never a value served.
  for (let i = 0; i < p.length; i++) {
    if (!(p[i]! >= 0 && p[i]! <= 1)) {
      throw new UserError(
        `model: churn probability of input row ${i + 1 + rowOffset} is ${p[i]}, not a number in [0, 1]; check that row's values, or retrain the model`,
      );
    }
  }
  return p;
}
