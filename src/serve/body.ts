/**
 * Request body parsers. Bodies are read as bytes and must be UTF-8: Node's default decoding
 * would turn latin-1 bytes into U+FFFD silently, and the model would then score "Z�rich" as
 * an unseen category. JSON keeps every key as data, "__proto__" and "constructor" included
 * (JSON.parse makes them own properties; churnkit reads rows by own keys only), so a column
 * of that name is a column, never "body is not valid JSON".
 */
import { isUtf8 } from "node:buffer";
import type { FastifyInstance } from "fastify";
import { UserError } from "../utils/errors.js";

/** Where the first byte that is not UTF-8 is, as "line N" (for the one-line error). */
function firstBadLine(body: Buffer): number {
  const text = body.toString("utf8");
  const at = text.indexOf("\uFFFD");
  let line = 1;
  for (let i = 0; i < at; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The body as text, or a UserError (400) naming the first line that is not UTF-8. */
export function utf8Body(body: Buffer, what: string): string {
  if (!isUtf8(body)) {
    throw new UserError(
      `${what} is not valid UTF-8 text (line ${firstBadLine(body)}; latin-1 or another encoding?); send it encoded as UTF-8, e.g. convert it with iconv -f latin1 -t utf-8`,
    );
  }
  return body.toString("utf8");
}

/** Replace fastify's JSON parser and add a CSV one, both refusing bytes that are not UTF-8. */
export function registerBodyParsers(app: FastifyInstance): void {
  const json = app.getDefaultJsonParser("ignore", "ignore");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (req, body: Buffer, done) => {
    try {
      void json(req, utf8Body(body, "request body"), done);
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  app.addContentTypeParser(["text/csv", "application/csv"], { parseAs: "buffer" }, (_req, body: Buffer, done) => {
    try {
      done(null, utf8Body(body, "uploaded CSV"));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
}
