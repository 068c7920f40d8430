/**
 * Training's permutation importance: measured by the first fit (the one the validation metrics come from) on the
 * validation rows it never saw, bounded by `evaluation.importance_max_rows` (held-out.ts), and reported with the gain
 * or coefficients of the model that is saved (the refit, when there is one).
 */
import type { Config } from "../config/schema.js";
import type { ModelArtifact } from "../artifact/artifact.js";
import { ChurnModel } from "../artifact/churn-model.js";
import { featureImportance, type FeatureImportance } from "../artifact/importance.js";
import type { Logger } from "../utils/logging.js";
import type { fitFamily } from "./fit.js";
import type { HeldOutText } from "./held-out.js";

const now = () => performance.now() / 1000;

/** Permutation importance of the first fit `first` of the model saved as `artifact`, on `heldOut` validation rows. */
export async function validationImportance(
  artifact: ModelArtifact,
  first: Awaited<ReturnType<typeof fitFamily>>,
  heldOut: HeldOutText,
  cfg: Config,
  log: Logger,
): Promise<FeatureImportance> {
  const t0 = now();
  const firstModel = ChurnModel.fromFit(
    {
      ...artifact,
      preprocess: first.pre,
      feature_means: first.means,
      model: { ...artifact.model, state: first.clf.state() },
      // A survival model's first fit has its own baseline (the C-index does not read it; its probabilities do).
      ...(artifact.survival ? { survival: { ...artifact.survival, baseline: first.baseline! } } : {}),
    },
    first.clf,
  );
  const importance = await featureImportance(firstModel, heldOut.importance, "validation split", {
    repeats: cfg.evaluation.permutation_repeats,
    seed: cfg.seed,
    own: artifact,
    maxRows: cfg.evaluation.importance_max_rows,
    ofRows: heldOut.of,
  });
  log.info(
    `permutation importance measured in ${(now() - t0).toFixed(2)} s; top: ${Object.keys(importance.permutation).slice(0, 4).join(", ")}`,
  );
  return importance;
}
