/**
 * model.json as a JSON Schema (draft 2020-12), generated from the zod schemas: the document's
 * and, under `model`, one branch per registered family with its hyperparameters and state.
 * Published in the package as schema/model.schema.json. Cross-field rules (lengths that agree
 * with the preprocessing, tree shapes) cannot be said in JSON Schema; churnkit checks them at load.
 */
import { z } from "zod";
import { familyNameSchema, familyOrAutoSchema } from "../config/schema.js";
import { artifactSchema, FORMAT_VERSION, stateVersion } from "./artifact-schema.js";
import { family, knownFamilies } from "../learners/families.js";

/** The JSON Schema of model.json for this churnkit's format version. */
export function modelJsonSchema(): Record<string, unknown> {
  const models = knownFamilies().map((name) => {
    const spec = family(name);
    return z.object({
      family: z.literal(name),
      params: spec.params,
      state_version: stateVersion.max(spec.stateVersion).default(1),
      state: spec.state(),
    });
  });
  const [first, ...rest] = models;
  const doc = artifactSchema.extend({ model: z.discriminatedUnion("family", [first!, ...rest]) });
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: `churnkit model.json, format ${FORMAT_VERSION}`,
    ...z.toJSONSchema(doc, {
      io: "input",
      target: "draft-2020-12",
      // NaN is the in-memory form of an undefined number; a JSON file cannot hold it (it writes null).
      unrepresentable: "any",
      override: (ctx) => {
        if (ctx.zodSchema._zod.def.type === "nan") ctx.jsonSchema.not = {};
        // Family names are checked against the registry in code; the schema lists the registered ones.
        if (ctx.zodSchema === familyNameSchema) ctx.jsonSchema.enum = knownFamilies();
        if (ctx.zodSchema === familyOrAutoSchema) ctx.jsonSchema.enum = [...knownFamilies(), "auto"];
      },
    }),
  };
}
