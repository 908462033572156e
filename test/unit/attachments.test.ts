import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.ts";
import { MatrixApi } from "../../src/matrix/api.ts";
import {
  downloadDecrypted,
  EncryptedFile,
  fileContent,
  imageContent,
  uploadEncrypted,
} from "../../src/matrix/attachments.ts";
import { ResponseShapeError } from "../../src/matrix/http.ts";

/** A content repository in memory: what was uploaded, under which mxc URI. */
function memoryMedia() {
  const stored = new Map<string, { bytes: Uint8Array; contentType: string }>();
  return {
    stored,
    async upload(bytes: Uint8Array<ArrayBuffer>, contentType: string) {
      const uri = `mxc://hs.test/m${stored.size}`;
      stored.set(uri, { bytes: new Uint8Array(bytes), contentType });
      return uri;
    },
    async download(mxc: string) {
      const hit = stored.get(mxc);
      if (!hit) throw new Error(`no such media ${mxc}`);
      return hit.bytes;
    },
  };
}

const plaintext = new TextEncoder().encode("a sighting report the homeserver must never read ".repeat(20));

describe("encrypted attachments", () => {
  it("uploads only ciphertext, and the event's key, iv and hash give the plaintext back", async () => {
    const media = memoryMedia();
    const up = await uploadEncrypted(media, plaintext);
    const stored = media.stored.get(up.file.url);
    expect(stored?.contentType).toBe("application/octet-stream");
    expect(Buffer.from(stored?.bytes ?? []).includes(Buffer.from("homeserver must never"))).toBe(false);
    expect(up.size).toBe(plaintext.byteLength);
    const sha = createHash("sha256")
      .update(stored?.bytes ?? new Uint8Array())
      .digest("base64")
      .replace(/=+$/, "");
    expect(up.file).toMatchObject({ v: "v2", hashes: { sha256: sha }, key: { alg: "A256CTR", kty: "oct" } });
    // Unpadded base64 everywhere, as the spec says; the key is url-safe base64 of 32 bytes.
    expect(up.file.iv).not.toMatch(/=/);
    expect(Buffer.from(up.file.key.k, "base64url")).toHaveLength(32);
    const back = await downloadDecrypted(media, JSON.parse(JSON.stringify(up.file)));
    expect(Buffer.compare(back, Buffer.from(plaintext))).toBe(0);
  });

  it("uses a fresh key for every file", async () => {
    const media = memoryMedia();
    const a = await uploadEncrypted(media, plaintext);
    const b = await uploadEncrypted(media, plaintext);
    expect(a.file.key.k).not.toBe(b.file.key.k);
    expect(a.file.hashes.sha256).not.toBe(b.file.hashes.sha256);
  });

  it("refuses a download whose ciphertext does not match the event's hash", async () => {
    const media = memoryMedia();
    const up = await uploadEncrypted(media, plaintext);
    const stored = media.stored.get(up.file.url);
    if (!stored) throw new Error("not stored");
    stored.bytes[0] = (stored.bytes[0] ?? 0) ^ 1;
    await expect(downloadDecrypted(media, up.file)).rejects.toThrow(/sha256/);
  });

  it("refuses an EncryptedFile that is not v2 AES-CTR", () => {
    const good = {
      url: "mxc://hs.test/x",
      key: { kty: "oct", key_ops: ["encrypt", "decrypt"], alg: "A256CTR", k: "AAAA", ext: true },
      iv: "AAAA",
      hashes: { sha256: "AAAA" },
      v: "v2",
    };
    expect(EncryptedFile.safeParse(good).success).toBe(true);
    expect(EncryptedFile.safeParse({ ...good, v: "v1" }).success).toBe(false);
    expect(EncryptedFile.safeParse({ ...good, url: "https://evil.test/x" }).success).toBe(false);
    expect(EncryptedFile.safeParse({ ...good, hashes: {} }).success).toBe(false);
  });

  it("builds m.image and m.file content with the file in `file`, never a plaintext `url`", async () => {
    const up = await uploadEncrypted(memoryMedia(), plaintext);
    const image = imageContent({
      body: "Map",
      filename: "map.png",
      upload: up,
      w: 800,
      h: 600,
      mimetype: "image/png",
    });
    expect(image).toEqual({
      msgtype: "m.image",
      body: "Map",
      filename: "map.png",
      file: up.file,
      info: { w: 800, h: 600, mimetype: "image/png", size: plaintext.byteLength },
      "m.mentions": {},
    });
    const file = fileContent({ filename: "export.csv", upload: up, mimetype: "text/csv" });
    expect(file).toMatchObject({
      msgtype: "m.file",
      body: "export.csv",
      info: { mimetype: "text/csv", size: plaintext.byteLength },
    });
    expect(image).not.toHaveProperty("url");
    expect(file).not.toHaveProperty("url");
  });
});

describe("the media API", () => {
  function api(reply: { status: number; body: unknown }) {
    const calls: { url: string; init: RequestInit | undefined }[] = [];
    const fetchImpl = (async (url: URL | string, init?: RequestInit) => {
      calls.push({ url: String(url), init });
      return new Response(JSON.stringify(reply.body), { status: reply.status });
    }) as typeof fetch;
    const client = new MatrixApi({
      baseUrl: "http://hs.test",
      accessToken: "tok",
      log: createLogger("error"),
      fetchImpl,
    });
    return { client, calls };
  }

  it("uploads raw bytes as octet-stream to /_matrix/media/v3/upload, authenticated", async () => {
    const { client, calls } = api({ status: 200, body: { content_uri: "mxc://hs.test/abc" } });
    const bytes = new Uint8Array([0, 1, 2, 255]);
    await expect(client.upload(bytes, "application/octet-stream")).resolves.toBe("mxc://hs.test/abc");
    const call = calls[0];
    expect(call?.url).toBe("http://hs.test/_matrix/media/v3/upload");
    expect(call?.init?.method).toBe("POST");
    expect(call?.init?.headers).toMatchObject({
      "content-type": "application/octet-stream",
      authorization: "Bearer tok",
    });
    expect(call?.init?.body).toBe(bytes);
  });

  it("refuses an upload response without an mxc content_uri", async () => {
    const { client } = api({ status: 200, body: { content_uri: "https://hs.test/abc" } });
    await expect(client.upload(new Uint8Array([1]), "application/octet-stream")).rejects.toBeInstanceOf(
      ResponseShapeError,
    );
  });

  it("downloads through the authenticated client v1 media API", async () => {
    const { client, calls } = api({ status: 200, body: "x" });
    const bytes = await client.download("mxc://hs.test:8448/AbC_1");
    expect(Buffer.from(bytes).toString()).toBe('"x"');
    expect(calls[0]?.url).toBe("http://hs.test/_matrix/client/v1/media/download/hs.test%3A8448/AbC_1");
    expect(calls[0]?.init?.headers).toMatchObject({ authorization: "Bearer tok" });
    expect(() => client.download("https://hs.test/x")).toThrow(/mxc/);
  });
});
