import { createHash } from "node:crypto";

/** SHA-256 hex digest of a string or bytes. */
export const sha256 = (data: string | Uint8Array): string => createHash("sha256").update(data).digest("hex");
