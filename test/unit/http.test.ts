import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createLogger } from "../../src/log.ts";
import { MatrixError, MatrixHttp, ResponseShapeError } from "../../src/matrix/http.ts";

type Reply = { status: number; body?: unknown } | Error;

/** A fetch that answers from a script and records what it was asked. */
function scripted(replies: Reply[]) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const fetchImpl = (async (url: URL | string, init?: RequestInit) => {
    calls.push({ url: String(url), init });
    const next = replies.shift();
    if (!next) throw new Error("script ran out");
    if (next instanceof Error) throw next;
    return new Response(next.body === undefined ? "" : JSON.stringify(next.body), { status: next.status });
  }) as typeof fetch;
  return { calls, fetchImpl };
}

const log = createLogger("error");
const Ok = z.object({ ok: z.literal(true) });

function http(replies: Reply[], maxAttempts = 5) {
  const s = scripted(replies);
  return {
    ...s,
    http: new MatrixHttp({
      baseUrl: "http://hs.test/",
      accessToken: "tok",
      log,
      maxAttempts,
      fetchImpl: s.fetchImpl,
    }),
  };
}

describe("MatrixHttp", () => {
  it("waits as long as M_LIMIT_EXCEEDED's retry_after_ms asks, then succeeds", async () => {
    const h = http([
      { status: 429, body: { errcode: "M_LIMIT_EXCEEDED", retry_after_ms: 120 } },
      { status: 200, body: { ok: true } },
    ]);
    const t0 = Date.now();
    await expect(h.http.request("GET", "/x", Ok)).resolves.toEqual({ ok: true });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(110);
    expect(h.calls).toHaveLength(2);
  });

  it("retries 5xx and network errors with backoff", async () => {
    const h = http([{ status: 502 }, new TypeError("fetch failed"), { status: 200, body: { ok: true } }]);
    await expect(h.http.request("GET", "/x", Ok)).resolves.toEqual({ ok: true });
    expect(h.calls).toHaveLength(3);
  });

  it("surfaces a 4xx as a typed MatrixError without retrying", async () => {
    const h = http([{ status: 403, body: { errcode: "M_FORBIDDEN", error: "not in room" } }]);
    const e = await h.http.request("PUT", "/send", Ok, { body: {} }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MatrixError);
    expect(e).toMatchObject({ status: 403, errcode: "M_FORBIDDEN", error: "not in room" });
    expect(h.calls).toHaveLength(1);
  });

  it("gives up after maxAttempts retryable failures with the last error", async () => {
    const h = http([{ status: 500 }, { status: 500 }], 2);
    await expect(h.http.request("GET", "/x", Ok)).rejects.toMatchObject({ status: 500 });
  });

  it("rejects a response that does not match its schema", async () => {
    const h = http([{ status: 200, body: { ok: "yes" } }]);
    await expect(h.http.request("GET", "/x", Ok)).rejects.toBeInstanceOf(ResponseShapeError);
  });

  it("sends the bearer token, JSON body and query", async () => {
    const h = http([{ status: 200, body: { ok: true } }]);
    await h.http.request("POST", "/p", Ok, { body: { a: 1 }, query: { since: "s1", skip: undefined } });
    const call = h.calls[0]!;
    expect(call.url).toBe("http://hs.test/p?since=s1");
    expect(new Headers(call.init?.headers).get("authorization")).toBe("Bearer tok");
    expect(call.init?.body).toBe('{"a":1}');
  });

  it("keeps the UIA body of a 401 for the caller", async () => {
    const h = http([{ status: 401, body: { session: "abc", flows: [{ stages: ["m.login.password"] }] } }]);
    const e = await h.http
      .request("POST", "/keys/device_signing/upload", Ok, { body: {} })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MatrixError);
    expect((e as MatrixError).body).toMatchObject({ session: "abc" });
  });
});
