import type { z } from "zod";
import { UserError } from "./errors.js";

/** One line per zod issue: `where: key.path: what was expected`. */
export function zodToUserError(err: z.ZodError, where: string, prefix = ""): UserError {
  const first = err.issues[0]!;
  const key = [prefix, ...first.path.map(String)].filter(Boolean).join(".");
  let msg = first.message;
  // A bad record key (e.g. a derived feature name): the key's own rule says what is wrong.
  if (first.code === "invalid_key" && first.issues[0]) msg = first.issues[0].message;
  if (first.code === "unrecognized_keys")
    msg = `unknown key${first.keys.length > 1 ? "s" : ""} ${first.keys.map((k) => `"${k}"`).join(", ")}; check the spelling`;
  const more =
    err.issues.length > 1 ? ` (and ${err.issues.length - 1} more problem${err.issues.length > 2 ? "s" : ""})` : "";
  return new UserError(`${where}: ${key ? `${key}: ` : ""}${msg}${more}`);
}
