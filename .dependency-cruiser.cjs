/**
 * Import rules for src/, checked by `npm run lint` (issue #12). Type-only imports count as edges
 * (tsPreCompilationDeps), so a cycle through `import type` fails too.
 *
 * src/ is folders by stage, in the order data flows. A folder may import only the folders before it in
 * STAGES; a file in src/ itself (index.ts, version.ts) is placed by its own entry.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const STAGES = [
  "utils", // leaves: errors, files, locks, logging, random
  "version.ts",
  "core", // types shared by every stage: the matrix, the classifier contract, the flat tree predictor
  "visualization", // Vega-Lite charts rendered to SVG
  "data", // load, schema, typing, preprocessing, split, reference statistics
  "features", // derived features and feature selection
  "eda", // the exploration report
  "evaluation", // metrics, curves, threshold, permutation importance
  "explain", // TreeSHAP, linear contributions, folding to input columns
  "learners", // the family registry, one folder per family, shared binning and calibration
  "config", // the config schema (its family list comes from the registry)
  "artifact", // model.json, metrics.json, the ChurnModel facade
  "export", // a model as ONNX or as one SQL query, scored where the data lives
  "import", // XGBoost and LightGBM models read into a churnkit model directory
  "monitor", // drift against the training reference
  "io", // batch scoring of files
  "report", // the model report
  "pipeline", // train, select, the ChurnKit object, the API
  "serve", // the HTTP server and its page
  "cli", // the commands
  "index.ts", // the package's public API
];

const esc = (s) => s.replace(/[.]/g, "\\.");
const pathOf = (stage) => (stage.endsWith(".ts") ? `^src/${esc(stage)}$` : `^src/${stage}/`);

/** One rule per stage: nothing in it imports a stage after it. */
const stageRules = STAGES.slice(0, -1).map((stage, i) => ({
  name: `stage-${stage.replace(/\.ts$/, "")}`,
  severity: "error",
  comment:
    `src/${stage} may import only the stages before it (${STAGES.slice(0, i).join(", ") || "none"}); ` +
    "data flows one way: move the shared piece down a stage, or pass what is needed in as an argument.",
  from: { path: pathOf(stage) },
  to: { path: STAGES.slice(i + 1).map(pathOf) },
}));

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment:
        "An import cycle in src/, type-only imports included: move the shared type or value to the lower module.",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "no-unknown-stage",
      severity: "error",
      comment:
        "Every file in src/ belongs to a stage listed in .dependency-cruiser.cjs (STAGES): add the folder there.",
      from: { path: "^src/", pathNot: STAGES.map(pathOf) },
      to: {},
    },
    ...stageRules,
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
