/**
 * Encrypted attachments (Matrix spec, "Sending encrypted attachments"): the file is encrypted with
 * AES-256-CTR under a fresh key, the ciphertext is uploaded as `application/octet-stream`, and the
 * key, IV and ciphertext hash travel in the (itself encrypted) event as an `EncryptedFile`. The
 * homeserver only ever sees ciphertext. matrix-org's `matrix-encrypt-attachment` does the crypto,
 * so the format is the one Element reads.
 */
import { decryptAttachment, encryptAttachment } from "matrix-encrypt-attachment";
import { z } from "zod";
import type { MatrixApi } from "./api.ts";

export const EncryptedFile = z.object({
  url: z.string().startsWith("mxc://"),
  key: z.object({
    kty: z.literal("oct"),
    key_ops: z.array(z.string()),
    alg: z.literal("A256CTR"),
    k: z.string(),
    ext: z.literal(true),
  }),
  iv: z.string(),
  hashes: z.object({ sha256: z.string() }).catchall(z.string()),
  v: z.literal("v2"),
});
export type EncryptedFile = z.infer<typeof EncryptedFile>;

export interface UploadedFile {
  file: EncryptedFile;
  /** The plaintext's size in bytes, as `info.size` wants it. */
  size: number;
}

/** Encrypts `bytes` and uploads the ciphertext; the result goes into the event's `file`. */
export async function uploadEncrypted(
  api: Pick<MatrixApi, "upload">,
  bytes: Uint8Array,
): Promise<UploadedFile> {
  // The library is typed for browsers (ArrayBuffer); in Node it takes any bytes and returns a Buffer.
  const plain = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const { data, info } = await encryptAttachment(plain);
  // No file name on the upload: the name would be the one thing about the file left in the clear.
  const url = await api.upload(new Uint8Array(data), "application/octet-stream");
  const file = EncryptedFile.parse({ ...info, url });
  return { file, size: bytes.byteLength };
}

export interface ImageInfo {
  w: number;
  h: number;
  mimetype: string;
  size: number;
}

/**
 * `m.image` content for an uploaded encrypted image. `body` is the caption (or the file name when
 * there is none); `filename` names the file for saving. No thumbnail: the images the bot sends are
 * small enough (a map is ~100 kB) that clients show the full image.
 */
export function imageContent(p: {
  body: string;
  filename?: string;
  upload: UploadedFile;
  w: number;
  h: number;
  mimetype: string;
}): Record<string, unknown> {
  const info: ImageInfo = { w: p.w, h: p.h, mimetype: p.mimetype, size: p.upload.size };
  return {
    msgtype: "m.image",
    body: p.body,
    ...(p.filename === undefined ? {} : { filename: p.filename }),
    file: p.upload.file,
    info,
    "m.mentions": {},
  };
}

/** `m.file` content for an uploaded encrypted file (exports): the body is the file's name. */
export function fileContent(p: {
  filename: string;
  upload: UploadedFile;
  mimetype: string;
}): Record<string, unknown> {
  return {
    msgtype: "m.file",
    body: p.filename,
    filename: p.filename,
    file: p.upload.file,
    info: { mimetype: p.mimetype, size: p.upload.size },
    "m.mentions": {},
  };
}

/**
 * Downloads an encrypted attachment and decrypts it, refusing it when the ciphertext's SHA-256 is
 * not the one the event promised (the library checks it before decrypting).
 */
export async function downloadDecrypted(api: Pick<MatrixApi, "download">, file: unknown): Promise<Buffer> {
  const info = EncryptedFile.parse(file);
  const cipher = await api.download(info.url);
  const buf = cipher.buffer.slice(cipher.byteOffset, cipher.byteOffset + cipher.byteLength) as ArrayBuffer;
  return Buffer.from(await decryptAttachment(buf, info));
}
