/** What a test can check of a PNG without a decoder: the signature and the IHDR chunk's size. */
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const b = Buffer.from(bytes);
  if (b.length < 33 || !b.subarray(0, 8).equals(SIGNATURE)) return undefined;
  // The first chunk must be IHDR, 13 bytes long: width and height come first, big-endian.
  if (b.readUInt32BE(8) !== 13 || b.toString("latin1", 12, 16) !== "IHDR") return undefined;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}
