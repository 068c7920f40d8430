/**
 * Import rules for src/, checked by `npm run lint` (issue #12). Type-only imports count as edges
 * (tsPreCompilationDeps), so a cycle through `import type` fails too.
 * @type {import('dependency-cruiser').IConfiguration}
 */
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
      name: "data-config-below-models",
      severity: "error",
      comment:
        "src/data and src/config come before the models: they may use the family registry and the model types only.",
      from: { path: "^src/(data|config)/" },
      to: { path: "^src/models/", pathNot: "^src/models/(registry|types)\\.ts$" },
    },
    {
      name: "data-config-model-types-only",
      severity: "error",
      comment: "src/data and src/config import src/models/types.ts for its types only.",
      from: { path: "^src/(data|config)/" },
      to: { path: "^src/models/types\\.ts$", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "utils-are-leaves",
      severity: "error",
      comment: "src/utils is the bottom layer: it imports nothing else from src/.",
      from: { path: "^src/utils/" },
      to: { path: "^src/", pathNot: "^src/utils/" },
    },
    {
      name: "cli-is-top",
      severity: "error",
      comment: "Only the CLI imports the CLI: the library, the server and the report must not depend on it.",
      from: { path: "^src/", pathNot: "^src/cli/" },
      to: { path: "^src/cli/" },
    },
    {
      name: "explain-below-model-families",
      severity: "error",
      comment:
        "src/explain sits between the tree primitives and the model families: it may import the model types, " +
        "trees/flat.ts and tree/params.ts, nothing else from src/models (models/explain.ts imports src/explain).",
      from: { path: "^src/explain/" },
      to: { path: "^src/models/", pathNot: "^src/models/(types\\.ts|trees/flat\\.ts|tree/params\\.ts)$" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
