/**
 * The published JSON Schema of model.json (schema/model.schema.json, shipped in the package) is
 * what the zod schemas generate, and models of every family written by this churnkit conform
 * to it (checked with Ajv, the JSON Schema validator fastify uses). The TypeScript types and
 * the zod schemas agree in both directions. To regenerate the file after a schema change:
 * `UPDATE_MODEL_SCHEMA=1 npx vitest run tests/models/model-schema.test.ts`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { format } from "prettier";
import { beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import type { ModelArtifact } from "../../src/artifact/artifact.js";
import type { artifactSchema, scoringSchema } from "../../src/artifact/artifact-schema.js";
import type { forestStateSchema } from "../../src/learners/forest/state-schema.js";
import type { ForestState } from "../../src/learners/forest/forest.js";
import type { gbdtStateSchema } from "../../src/learners/gbdt/state-schema.js";
import type { GbdtState } from "../../src/learners/gbdt/gbdt.js";
import type { logregStateSchema } from "../../src/learners/logreg/state-schema.js";
import type { LogregState } from "../../src/learners/logreg/logreg.js";
import { modelJsonSchema } from "../../src/artifact/model-json-schema.js";
import type { cartStateSchema } from "../../src/learners/tree/state-schema.js";
import type { CartState } from "../../src/learners/tree/cart.js";
import { ROOT } from "../helpers.js";
import { FAMILIES, trainAll, type Trained } from "./model-file-fixture.js";

const FILE = join(ROOT, "schema", "model.schema.json");

describe("schema/model.schema.json", () => {
  let models: Record<string, Trained>;
  beforeAll(async () => {
    models = await trainAll();
  }, 240_000);

  it("is what the zod schemas generate (regenerate with UPDATE_MODEL_SCHEMA=1)", async () => {
    const text = await format(JSON.stringify(modelJsonSchema()), { parser: "json", printWidth: 120 });
    if (process.env.UPDATE_MODEL_SCHEMA) writeFileSync(FILE, text);
    expect(readFileSync(FILE, "utf8")).toBe(text);
  });

  it("ships in the npm package", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { files: string[] };
    expect(pkg.files).toContain("schema");
  });

  it("accepts the model.json of every family, and refuses a corrupt one", () => {
    const validate = new Ajv2020({ strict: false, allErrors: false }).compile(
      JSON.parse(readFileSync(FILE, "utf8")) as object,
    );
    for (const f of FAMILIES) {
      const doc = JSON.parse(readFileSync(join(models[f]!.dir, "model.json"), "utf8")) as {
        model: { state: Record<string, unknown> };
      };
      expect(validate(doc), `${f}: ${JSON.stringify(validate.errors)}`).toBe(true);
      if (f === "logreg") doc.model.state.intercept = null;
      else if (f === "tree") (doc.model.state.tree as { threshold: unknown[] }).threshold[0] = "0.5";
      else (doc.model.state.trees as { value: unknown[] }[])[0]!.value[0] = null;
      expect(validate(doc), f).toBe(false);
    }
  });
});

describe("TypeScript types and zod schemas agree", () => {
  it("both ways", () => {
    expectTypeOf<z.output<typeof artifactSchema>>().toExtend<Omit<ModelArtifact, "model">>();
    expectTypeOf<ModelArtifact>().toExtend<Omit<z.input<typeof artifactSchema>, "validation_metrics" | "model">>();
    expectTypeOf<z.output<typeof scoringSchema>["model"]>().toExtend<ModelArtifact["model"]>();
    expectTypeOf<z.output<ReturnType<typeof logregStateSchema>>>().toEqualTypeOf<LogregState>();
    expectTypeOf<z.output<ReturnType<typeof cartStateSchema>>>().toEqualTypeOf<CartState>();
    expectTypeOf<z.output<ReturnType<typeof forestStateSchema>>>().toEqualTypeOf<ForestState>();
    expectTypeOf<z.output<ReturnType<typeof gbdtStateSchema>>>().toEqualTypeOf<GbdtState>();
  });
});
