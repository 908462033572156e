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
});
