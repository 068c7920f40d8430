/**
 * The built-in model families, registered once in the family registry (registry.ts), whose API
 * this module re-exports. Importing it is what makes logreg, tree, forest and gbdt known; a new
 * family is one folder with a `family.ts` spec and one `registerFamily` call (here, or in user code).
 */
import { forestFamily } from "./forest/family.js";
import { gbdtFamily } from "./gbdt/family.js";
import { logregFamily } from "./logreg/family.js";
import { registerFamily } from "./registry.js";
import { treeFamily } from "./tree/family.js";

registerFamily(logregFamily);
registerFamily(treeFamily);
registerFamily(forestFamily);
registerFamily(gbdtFamily);

export {
  autoFamilies,
  checkParams,
  family,
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
