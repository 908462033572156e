import { describe, expect, it } from "vitest";
import { seal, unseal } from "../../src/secrets.ts";

describe("sealing a secret with the store passphrase", () => {
  it("opens with the same passphrase and hides the plaintext", async () => {
    const sealed = await seal("correct horse", "syt_token_abc");
    expect(JSON.stringify(sealed)).not.toContain("syt_token_abc");
    expect(await unseal("correct horse", sealed)).toBe("syt_token_abc");
  });

  it("refuses a wrong passphrase and an altered value", async () => {
    const sealed = await seal("correct horse", "syt_token_abc");
    await expect(unseal("wrong horse", sealed)).rejects.toThrow();
    const altered = { ...sealed, data: Buffer.from("syt_token_abd").toString("base64") };
    await expect(unseal("correct horse", altered)).rejects.toThrow();
  });

  it.each([4, 8, 12, 15])("refuses the right tag cut to %i bytes (GCM would check only those)", async (n) => {
    const sealed = await seal("correct horse", "syt_token_abc");
    const truncated = { ...sealed, tag: Buffer.from(sealed.tag, "base64").subarray(0, n).toString("base64") };
    await expect(unseal("correct horse", truncated)).rejects.toThrow(
      `the sealed value's authentication tag is ${n} bytes, not 16: it was altered`,
    );
  });

  it("refuses a tag longer than 16 bytes", async () => {
    const sealed = await seal("correct horse", "syt_token_abc");
    const longer = Buffer.concat([Buffer.from(sealed.tag, "base64"), Buffer.alloc(1)]).toString("base64");
    await expect(unseal("correct horse", { ...sealed, tag: longer })).rejects.toThrow("is 17 bytes, not 16");
  });
});
