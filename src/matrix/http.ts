import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import type { Logger } from "../log.ts";
import { type HttpResponse, nodeTransport, type Transport } from "./transport.ts";

/** A 4xx the homeserver meant: surfaced to the caller, never retried. */
export class MatrixError extends Error {
  constructor(
    readonly status: number,
    readonly errcode: string,
    readonly error: string,
    readonly path: string,
    /** The whole error body (user-interactive auth puts its session and flows here). */
    readonly body: unknown = undefined,
  ) {
    super(`${errcode} (${status}) on ${path}: ${error}`);
    this.name = "MatrixError";
  }
}

/** A response whose body did not match what the spec promises. */
export class ResponseShapeError extends Error {
  override name = "ResponseShapeError";
}

const ErrorBody = z.object({
  errcode: z.string().default("M_UNKNOWN"),
  error: z.string().default(""),
  retry_after_ms: z.number().optional(),
});

export interface HttpOptions {
  baseUrl: string;
  accessToken?: string;
  log: Logger;
  /** Attempts for retryable failures (429, 5xx, network); 0 = retry forever. */
  maxAttempts?: number;
  /** Per-request timeout in ms (a long-poll /sync adds its own timeout to this). */
  timeoutMs?: number;
  /** Instead of the node:http transport (tests reach a fake homeserver this way). */
  fetchImpl?: typeof fetch;
}

export type Method = "GET" | "POST" | "PUT" | "DELETE";

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Extra time for long-polls, on top of the default timeout. */
  extraTimeoutMs?: number;
  signal?: AbortSignal;
  auth?: boolean;
  /** Overrides the client's attempts for this request (e.g. a join should not block forever). */
  maxAttempts?: number;
  /** Bytes sent as they are, instead of a JSON `body` (media uploads). */
  rawBody?: { bytes: Uint8Array<ArrayBuffer>; contentType: string };
}

function backoffMs(attempt: number): number {
  return Math.min(30_000, 250 * 2 ** attempt) * (0.5 + Math.random() / 2);
}

/**
 * Minimal typed HTTP for the client-server API: JSON in, zod-validated JSON out.
 * 429 (honouring retry_after_ms), 5xx and network errors are retried with backoff; other 4xx throw.
 */
export class MatrixHttp {
  accessToken: string | undefined;
  private readonly transport: Transport;

  constructor(private readonly opts: HttpOptions) {
    this.accessToken = opts.accessToken;
    const f = opts.fetchImpl;
    this.transport = f ? (url, r) => f(url, r) : nodeTransport();
  }

  async request<S extends z.ZodType>(
    method: Method,
    path: string,
    schema: S,
    ro: RequestOptions = {},
  ): Promise<z.infer<S>> {
    const res = await this.exchange(method, path, ro, "application/json");
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      json = undefined;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new ResponseShapeError(`${method} ${path}: unexpected response: ${parsed.error.message}`);
    }
    return parsed.data;
  }

  /** The response body as bytes (media downloads), with the same retries and errors as `request`. */
  async requestBytes(method: Method, path: string, ro: RequestOptions = {}): Promise<Uint8Array> {
    const res = await this.exchange(method, path, ro, "*/*");
    return new Uint8Array(await res.arrayBuffer());
  }

  /** Sends until a 2xx (returned unread) or an error worth surfacing (thrown). */
  private async exchange(
    method: Method,
    path: string,
    ro: RequestOptions,
    accept: string,
  ): Promise<HttpResponse> {
    const url = new URL(this.opts.baseUrl.replace(/\/$/, "") + path);
    for (const [k, v] of Object.entries(ro.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const maxAttempts = ro.maxAttempts ?? this.opts.maxAttempts ?? 8;
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { accept };
      if (ro.auth !== false && this.accessToken) headers.authorization = `Bearer ${this.accessToken}`;
      let body: string | Uint8Array<ArrayBuffer> | undefined;
      if (ro.rawBody !== undefined) {
        headers["content-type"] = ro.rawBody.contentType;
        body = ro.rawBody.bytes;
      } else if (ro.body !== undefined) {
        headers["content-type"] = "application/json";
        body = JSON.stringify(ro.body);
      }
      const timeout = AbortSignal.timeout((this.opts.timeoutMs ?? 60_000) + (ro.extraTimeoutMs ?? 0));
      const signal = ro.signal ? AbortSignal.any([ro.signal, timeout]) : timeout;
      let res: HttpResponse;
      try {
        res = await this.transport(url, { method, headers, body, signal });
      } catch (e) {
        if (ro.signal?.aborted) throw e;
        if (maxAttempts && attempt + 1 >= maxAttempts) throw e;
        const wait = backoffMs(attempt);
        this.opts.log.warn("homeserver unreachable, retrying", {
          path,
          attempt,
          waitMs: Math.round(wait),
          err: e,
        });
        await sleep(wait);
        continue;
      }
      if (res.ok) return res;
      if (res.status >= 300 && res.status < 400)
        throw new MatrixError(
          res.status,
          "M_UNKNOWN",
          `the homeserver redirected to ${res.location ?? "another address"}: give that address as the homeserver URL`,
          path,
        );
      const text = await res.text();
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : {};
      } catch {
        json = undefined;
      }
      const err = ErrorBody.safeParse(json ?? {});
      const errBody = err.success ? err.data : { errcode: "M_UNKNOWN", error: text.slice(0, 200) };
      const retryable = res.status === 429 || res.status >= 500;
      if (!retryable || (maxAttempts && attempt + 1 >= maxAttempts)) {
        throw new MatrixError(res.status, errBody.errcode, errBody.error, path, json);
      }
      const retryAfter = err.success ? err.data.retry_after_ms : undefined;
      const wait = retryAfter ?? backoffMs(attempt);
      this.opts.log.warn("homeserver asked us to retry", {
        path,
        status: res.status,
        errcode: errBody.errcode,
        waitMs: Math.round(wait),
      });
      await sleep(wait);
    }
  }
}
