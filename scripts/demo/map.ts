/** The digest's map as a commander's client gets it: download the encrypted file, check, decrypt. */
import { createHash } from "node:crypto";
import { decryptAttachment } from "matrix-encrypt-attachment";
import type { Officer, ReceivedEvent } from "../../test/support/officer.ts";
import { pngSize } from "../../test/support/png.ts";

export interface MapInfo {
  name: string;
  size: number;
  width: number;
  height: number;
  mimetype: string;
}

export function mapInfo(image: ReceivedEvent): MapInfo {
  const info = (image.content.info ?? {}) as Partial<{
    w: number;
    h: number;
    size: number;
    mimetype: string;
  }>;
  const filename = image.content.filename;
  return {
    name: typeof filename === "string" ? filename : image.body,
    size: info.size ?? 0,
    width: info.w ?? 0,
    height: info.h ?? 0,
    mimetype: info.mimetype ?? "?",
  };
}

/** The decrypted PNG's dimensions; throws if the file is missing, tampered with or not a PNG. */
export async function decryptMap(
  officer: Officer,
  image: ReceivedEvent,
): Promise<{ width: number; height: number; bytes: number }> {
  if (!image.encrypted || "url" in image.content)
    throw new Error("the map was not sent as an encrypted attachment");
  const file = image.content.file as Parameters<typeof decryptAttachment>[1] & { url: string };
  const ciphertext = await officer.downloadMedia(file.url);
  const sha = createHash("sha256").update(ciphertext).digest("base64").replace(/=+$/, "");
  if (sha !== file.hashes?.sha256) throw new Error("the map's ciphertext does not match its sha256");
  const buffer = ciphertext.buffer.slice(
    ciphertext.byteOffset,
    ciphertext.byteOffset + ciphertext.byteLength,
  );
  const png = Buffer.from(await decryptAttachment(buffer as ArrayBuffer, file));
  const size = pngSize(png);
  if (size === undefined) throw new Error("the decrypted map is not a PNG");
  return { ...size, bytes: png.length };
}
