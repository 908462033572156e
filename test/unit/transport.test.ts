/**
 * The node:http transport against a real HTTP server on 127.0.0.1: bodies both ways, kept
 * connections, a kept connection the server had dropped (sent again, once, on a new one), and
 * answers cut short or aborted (rejected, never resolved with half a body).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createLogger } from "../../src/log.ts";
import { MatrixHttp } from "../../src/matrix/http.ts";
import { nodeTransport } from "../../src/matrix/transport.ts";

type Handler = (req: IncomingMessage, res: ServerResponse, nth: number, body: string) => void;

let server: Server | undefined;
afterEach(async () => {
  const s = server;
  server = undefined;
  if (s === undefined) return;
  s.closeAllConnections();
  await new Promise((r) => s.close(r));
});

/** A server calling `handle` with each request's number on its connection (1 = the first). */
async function serve(handle: Handler): Promise<{ url: string; connections: () => number }> {
  const perSocket = new WeakMap<Socket, number>();
  let connections = 0;
  server = createServer((req, res) => {
    const nth = (perSocket.get(req.socket) ?? 0) + 1;
    perSocket.set(req.socket, nth);
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => handle(req, res, nth, body));
  });
  server.on("connection", () => connections++);
  await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, connections: () => connections };
}

const json = (res: ServerResponse, status: number, value: unknown) => {
  const text = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
};

describe("nodeTransport", () => {
  it("sends a JSON body and reads the answer whole, on one kept connection", async () => {
    const s = await serve((req, res, _nth, body) =>
      json(res, req.url?.endsWith("/missing") ? 404 : 200, { method: req.method, url: req.url, body }),
    );
    const send = nodeTransport();
    for (let i = 0; i < 3; i++) {
      const r = await send(new URL(`${s.url}/_matrix/client/v3/rooms/!r/send/m.room.message/t${i}`), {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ body: `héllo ${i}` }),
      });
      expect(r.ok).toBe(true);
      expect(JSON.parse(await r.text())).toEqual({
        method: "PUT",
        url: `/_matrix/client/v3/rooms/!r/send/m.room.message/t${i}`,
        body: `{"body":"héllo ${i}"}`,
      });
    }
    const missing = await send(new URL(`${s.url}/missing`), { method: "GET", headers: {} });
    expect([missing.ok, missing.status]).toEqual([false, 404]);
    expect(new Uint8Array(await missing.arrayBuffer()).length).toBeGreaterThan(0);
    expect(s.connections()).toBe(1);
  });

  it("sends a request again on a new connection when a kept one was dropped before answering", async () => {
    // Every connection answers its first request and drops at its second, as a server does that
    // closed an idle connection just as the client reused it.
    const s = await serve((req, res, nth) =>
      nth === 1 ? json(res, 200, { ok: req.url }) : req.socket.destroy(),
    );
    const send = nodeTransport();
    const first = await send(new URL(`${s.url}/one`), { method: "GET", headers: {} });
    expect(await first.text()).toBe('{"ok":"/one"}');
    const second = await send(new URL(`${s.url}/two`), { method: "PUT", headers: {}, body: "{}" });
    expect(await second.text()).toBe('{"ok":"/two"}');
    expect(s.connections()).toBe(2);
  });

  it("does not send again when a new connection drops: the caller decides", async () => {
    const s = await serve((req) => req.socket.destroy());
    await expect(
      nodeTransport()(new URL(`${s.url}/x`), { method: "GET", headers: {} }),
    ).rejects.toMatchObject({
      code: "ECONNRESET",
    });
    expect(s.connections()).toBe(1);
  });

  it("rejects an answer cut short, and one aborted halfway, instead of resolving half a body", async () => {
    const s = await serve((req, res) => {
      res.writeHead(200, { "content-length": "100" });
      res.write("0123456789");
      if (req.url === "/cut") setTimeout(() => req.socket.destroy(), 20);
    });
    const send = nodeTransport();
    await expect(send(new URL(`${s.url}/cut`), { method: "GET", headers: {} })).rejects.toThrow();
    const ac = new AbortController();
    const pending = send(new URL(`${s.url}/hang`), { method: "GET", headers: {}, signal: ac.signal });
    setTimeout(() => ac.abort(new Error("stopping")), 50);
    await expect(pending).rejects.toThrow();
    await expect(
      send(new URL(`${s.url}/late`), { method: "GET", headers: {}, signal: AbortSignal.abort() }),
    ).rejects.toThrow();
  });

  it("does not follow a redirect: MatrixHttp says where it pointed", async () => {
    const s = await serve((_req, res) => {
      res.writeHead(301, { location: "https://matrix.example.org/_matrix/client/versions" });
      res.end();
    });
    const r = await nodeTransport()(new URL(`${s.url}/_matrix/client/versions`), {
      method: "GET",
      headers: {},
    });
    expect([r.ok, r.status, r.location]).toEqual([
      false,
      301,
      "https://matrix.example.org/_matrix/client/versions",
    ]);
    const api = new MatrixHttp({ baseUrl: s.url, log: createLogger("error", {}, () => {}) });
    await expect(api.request("GET", "/_matrix/client/versions", z.unknown())).rejects.toThrow(
      "the homeserver redirected to https://matrix.example.org/_matrix/client/versions: give that address as the homeserver URL",
    );
  });

  it("refuses an https homeserver whose certificate it cannot verify (self-signed here)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tearline-tls-"));
    try {
      execFileSync(
        "openssl",
        [
          "req",
          "-x509",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-days",
          "1",
          "-subj",
          "/CN=127.0.0.1",
          "-addext",
          "subjectAltName=IP:127.0.0.1",
          "-keyout",
          join(dir, "key.pem"),
          "-out",
          join(dir, "cert.pem"),
        ],
        { stdio: "ignore" },
      );
      const tls = createTlsServer(
        { key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) },
        (_req, res) => json(res, 200, { versions: ["v1.11"] }),
      );
      await new Promise<void>((r) => tls.listen(0, "127.0.0.1", r));
      const port = (tls.address() as AddressInfo).port;
      try {
        await expect(
          nodeTransport()(new URL(`https://127.0.0.1:${port}/_matrix/client/versions`), {
            method: "GET",
            headers: {},
          }),
        ).rejects.toMatchObject({ code: "DEPTH_ZERO_SELF_SIGNED_CERT" });
      } finally {
        tls.closeAllConnections();
        await new Promise((r) => tls.close(r));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a URL that is not http or https", async () => {
    await expect(
      nodeTransport()(new URL("ftp://127.0.0.1/x"), { method: "GET", headers: {} }),
    ).rejects.toThrow("unsupported protocol ftp:");
  });
});
