import { err, ok, quote, type Result, t } from "./result.ts";

/** The kinds of record a person can point at by reference: `S-112`, `RFI-40`, `A-31`. */
export type RefKind = "S" | "RFI" | "A";

export function formatRef(kind: RefKind, n: number): string {
  return `${kind}-${n}`;
}

/** `S-112`, `s112`, `S 112`, or a bare `112` → 112. */
export function parseRef(kind: RefKind, text: string, field?: string): Result<number> {
  const m = new RegExp(`^(?:${kind}\\s*(?:-\\s*)?)?(\\d{1,9})$`, "i").exec(text.trim());
  const n = m === null ? Number.NaN : Number(m[1]);
  if (Number.isSafeInteger(n) && n > 0) return ok(n);
  return err(t("ref.invalid", { input: quote(text), example: `${kind}-12` }), `${kind}-12`, field);
}
