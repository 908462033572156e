/**
 * HTTP/1.1 to the homeserver over node:http and node:https, connections kept alive. It does what
 * MatrixHttp needs of fetch and no more: a body sent whole, a body read whole, an AbortSignal.
 * Measured here, a PUT with a JSON answer costs ~220 µs of CPU this way against ~600 µs through
 * the global fetch (undici's WHATWG streams and Response objects); through Synapse that was
 * 2–3 ms less bot CPU per command (BENCHMARKS.md, issue 9).
 *
 * Not done, by design: redirects are not followed (a 3xx reaches the caller as an error, as a
 * misconfigured URL should), and no compression is asked for.
 */
import http from "node:http";
import https from "node:https";

/** What MatrixHttp reads of a response; the global fetch's Response is one too. */
export interface HttpResponse {
  readonly ok: boolean;
  readonly status: number;
  /** A redirect's Location (a redirect is not followed). */
  readonly location?: string | undefined;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface TransportRequest {
  method: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer> | undefined;
  signal?: AbortSignal | undefined;
}

export type Transport = (url: URL, req: TransportRequest) => Promise<HttpResponse>;

/** Idle connections kept per host; most recently used first, so the others age out. */
const MAX_FREE_SOCKETS = 4;

/**
 * A transport with its own keep-alive connections. A request sent on a kept connection that the
 * server had already closed (ECONNRESET or EPIPE before any answer: it never arrived) is sent once
 * more on a new one; any other failure is the caller's to retry.
 */
export function nodeTransport(): Transport {
  const options = { keepAlive: true, maxFreeSockets: MAX_FREE_SOCKETS, scheduling: "lifo" as const };
  const agents = { http: new http.Agent(options), https: new https.Agent(options) };
  const send = (url: URL, r: TransportRequest, fresh: boolean): Promise<HttpResponse> =>
    new Promise((resolve, reject) => {
      const tls = url.protocol === "https:";
      if (!tls && url.protocol !== "http:") {
        reject(new TypeError(`unsupported protocol ${url.protocol}`));
        return;
      }
      const headers = { ...r.headers };
      if (r.body !== undefined) headers["content-length"] = String(Buffer.byteLength(r.body));
      const agent = fresh ? false : tls ? agents.https : agents.http;
      const req = (tls ? https : http).request(url, { method: r.method, headers, agent, signal: r.signal });
      let answered = false;
      req.on("response", (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        let ended = false;
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          ended = true;
          const body = Buffer.concat(chunks);
          const status = res.statusCode ?? 0;
          resolve({
            ok: status >= 200 && status < 300,
            status,
            location: res.headers.location,
            text: () => Promise.resolve(body.toString("utf8")),
            arrayBuffer: () =>
              Promise.resolve(
                body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
              ),
          });
        });
        res.on("error", reject);
        // Aborted, or the connection dropped, in the middle of the body.
        res.on("close", () => {
          if (!ended)
            reject(
              r.signal?.reason ?? new Error(`${r.method} ${url.pathname}: connection closed mid-answer`),
            );
        });
      });
      req.on("error", (err: NodeJS.ErrnoException) => {
        const stale = req.reusedSocket && !answered && (err.code === "ECONNRESET" || err.code === "EPIPE");
        if (stale && !fresh && !r.signal?.aborted) send(url, r, true).then(resolve, reject);
        else reject(err);
      });
      req.end(r.body);
    });
  return (url, r) => send(url, r, false);
}
