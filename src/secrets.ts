import { createCipheriv, createDecipheriv, randomBytes, scrypt } from "node:crypto";

/** A secret sealed with a passphrase: scrypt-derived key, AES-256-GCM. All fields base64. */
export interface Sealed {
  v: 1;
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

function deriveKey(passphrase: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(passphrase, salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function seal(passphrase: string, plaintext: string): Promise<Sealed> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", await deriveKey(passphrase, salt), iv);
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const b64 = (b: Buffer) => b.toString("base64");
  return { v: 1, salt: b64(salt), iv: b64(iv), tag: b64(cipher.getAuthTag()), data: b64(data) };
}

/** GCM's full tag. A shorter one would be checked only as far as it goes, so is refused. */
const TAG_BYTES = 16;

/** Throws when the passphrase is wrong or the sealed value was altered (a truncated tag included). */
export async function unseal(passphrase: string, sealed: Sealed): Promise<string> {
  const b = (s: string) => Buffer.from(s, "base64");
  const tag = b(sealed.tag);
  if (tag.length !== TAG_BYTES) {
    throw new Error(
      `the sealed value's authentication tag is ${tag.length} bytes, not ${TAG_BYTES}: it was altered`,
    );
  }
  const key = await deriveKey(passphrase, b(sealed.salt));
  const decipher = createDecipheriv("aes-256-gcm", key, b(sealed.iv), { authTagLength: TAG_BYTES });
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(b(sealed.data)), decipher.final()]).toString("utf8");
}
