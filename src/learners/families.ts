/**
 * The built-in model families, registered once in the family registry (registry.ts), whose API
 * this module re-exports. Importing it is what makes logreg, tree, forest, gbdt and cox (survival) known; a new
 * family is one folder with a `family.ts` spec and one `registerFamily` call (here, or in user code).
 */
import { coxFamily } from "./cox/family.js";
import { forestFamily } from "./forest/family.js";
import { gbdtFamily } from "./gbdt/family.js";
import { logregFamily } from "./logreg/family.js";
import { registerFamily } from "./registry.js";
import { treeFamily } from "./tree/family.js";

registerFamily(logregFamily);
registerFamily(treeFamily);
registerFamily(forestFamily);
registerFamily(gbdtFamily);
registerFamily(coxFamily);

export {
  autoFamilies,
  checkParams,
  family,
  familyTasks,
  isFamily,
  knownFamilies,
  registerFamily,
  unregisterFamily,
  type AnyFamilySpec,
  type Explainer,
  type ExplainerContext,
  type LinearScoreForm,
  type ScoreForm,
  type TreesScoreForm,
  type FamilyReportHints,
  type FamilySpec,
} from "./registry.js";
