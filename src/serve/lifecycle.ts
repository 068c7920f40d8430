/**
 * Connection lifecycle of the server: the request timeout's answer, a shutdown that finishes
 * in-flight responses, and what is closed after them (the request log).
 *
 * Why not Node's own `closeIdleConnections` (which `server.close()` and fastify's
 * `forceCloseConnections: "idle"` call): it counts a connection as idle as soon as its response's
 * `end()` was called, while megabytes of that response may still wait in the socket's buffer for a
 * slow reader; destroying it then cut a 50 MB /predict.csv answer at 5.6 MB. Here a connection is
 * idle only when every response on it has been flushed to the operating system (`finish`).
 */
import type { FastifyInstance } from "fastify";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";

/**
 * Make `server.close()` (and so fastify's `app.close()`) stop accepting connections, close the idle
 * ones at once, and end each busy one after its last response has been flushed. The caller bounds
 * the wait (a connection whose client never reads can hold it forever).
 */
export function drainOnClose(server: Server): void {
  const sockets = new Set<Socket>();
  /** Responses started and not yet flushed, per connection. */
  const busy = new Map<Socket, number>();
  let closing = false;

  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.once("close", () => {
      sockets.delete(s);
      busy.delete(s);
    });
  });
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const s = req.socket;
    busy.set(s, (busy.get(s) ?? 0) + 1);
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      const n = (busy.get(s) ?? 1) - 1;
      if (n > 0) return void busy.set(s, n);
      busy.delete(s);
      // end(), not destroy(): a FIN after the data, never a reset that could discard it.
      if (closing) s.end();
    };
    res.once("finish", settle);
    res.once("close", settle);
  });

  server.closeIdleConnections = () => {
    closing = true;
    for (const s of sockets) if (!busy.has(s)) s.destroy();
  };
}

/**
 * fastify's `clientErrorHandler`: when Node's `requestTimeout` fires, 408 with `message` as a one-line JSON
 * error; a header overflow 431, any other malformed request 400; then the connection is closed.
 */
export function timeoutAnswer(message: string): (err: NodeJS.ErrnoException, socket: Socket) => void {
  return (err, socket) => {
    if (err.code === "ECONNRESET" || socket.destroyed) return;
    const [status, text, body] =
      err.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "Request Timeout", { error: message }]
        : err.code === "HPE_HEADER_OVERFLOW"
          ? [431, "Request Header Fields Too Large", { error: "request headers are too large; send shorter headers" }]
          : [400, "Bad Request", { error: "malformed HTTP request" }];
    const json = JSON.stringify(body);
    if (socket.writable)
      socket.write(
        `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`,
      );
    socket.destroy();
  };
}

/**
 * Run `close` when `app` closes, after the server has stopped and its in-flight requests have finished (fastify
 * runs its own server-closing hook, added when the app becomes ready, before the hooks added earlier): so the
 * request log is flushed with the lines of the last requests in it. `app.close()` rejects if `close` does.
 */
export function closeWith(app: FastifyInstance, close: () => Promise<void>): void {
  app.addHook("onClose", async () => close());
}
