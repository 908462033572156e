/** RFC 9562 name-based UUIDs (version 5, SHA-1): the same name gives the same id in every export. */
import { createHash } from "node:crypto";

/** Tearline's own namespace for STIX ids (fixed once; changing it renames every exported object). */
export const TEARLINE_NAMESPACE = "6f1c9e2a-3b7d-4c58-9a41-2d0e8b5f7c13";

function bytesOf(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ""), "hex");
}

export function uuidV5(name: string, namespace = TEARLINE_NAMESPACE): string {
  const hash = createHash("sha1").update(bytesOf(namespace)).update(name, "utf8").digest();
  const b = hash.subarray(0, 16);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x50;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = b.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
