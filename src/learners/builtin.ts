/**
 * The names of the built-in model families, in registration order (families.ts), without loading them: the CLI lists
 * them in `train --model`'s choices, and loading the families (every learner and their zod schemas) costs ~100 ms
 * that `churnkit --version` or `predict` need not pay. tests/learners/builtin.test.ts keeps the two lists equal.
 */
export const BUILTIN_FAMILIES: readonly string[] = ["logreg", "tree", "forest", "gbdt", "cox"];
