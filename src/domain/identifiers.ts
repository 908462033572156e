import { err, exampleFor, ok, quote, type Result, t } from "./result.ts";

/** What names a sighted thing: a vessel's name, MMSI or IMO number, an aircraft's tail, a plate. */
export interface Identifiers {
  name?: string | undefined;
  mmsi?: string | undefined;
  imo?: string | undefined;
  tail?: string | undefined;
  plate?: string | undefined;
}

export const IDENTIFIER_OPTIONS = ["mmsi", "imo", "tail", "plate"] as const;
export type IdentifierOption = (typeof IDENTIFIER_OPTIONS)[number];

const MAX_NAME = 80;

/** A name as given (quoted or not), trimmed, spaces collapsed. */
export function parseName(text: string, field = "name"): Result<string> {
  const name = text.trim().replace(/\s+/g, " ");
  if (name === "") return err(t("name.empty"), exampleFor(field, "SIN NOMBRE"), field);
  if (Array.from(name).length > MAX_NAME || /\p{Cc}/u.test(name)) {
    return err(
      t("name.invalid", { input: quote(name), max: MAX_NAME }),
      exampleFor(field, "SIN NOMBRE"),
      field,
    );
  }
  return ok(name);
}

/** Maritime Mobile Service Identity: nine digits (`MMSI 367 123 450` is accepted). */
export function parseMmsi(text: string, field = "mmsi"): Result<string> {
  const digits = text
    .trim()
    .toUpperCase()
    .replace(/^MMSI\s*:?\s*/, "")
    .replace(/[\s-]/g, "");
  if (/^\d{9}$/.test(digits)) return ok(digits);
  return err(t("mmsi.invalid", { input: quote(text) }), exampleFor(field, "367123450"), field);
}

/** IMO ship number: seven digits, the last a check digit (`IMO 9074729`). */
export function parseImo(text: string, field = "imo"): Result<string> {
  const digits = text
    .trim()
    .toUpperCase()
    .replace(/^IMO\s*:?\s*/, "")
    .replace(/\s/g, "");
  const example = exampleFor(field, "9074729");
  if (!/^\d{7}$/.test(digits)) return err(t("imo.invalid", { input: quote(text) }), example, field);
  const sum = [...digits.slice(0, 6)].reduce((s, d, i) => s + Number(d) * (7 - i), 0);
  if (sum % 10 !== Number(digits[6])) {
    return err(t("imo.checkDigit", { imo: digits, digit: sum % 10 }), example, field);
  }
  return ok(digits);
}

/** Aircraft registration (`N123AB`, `HK-4F2`, `XA-ABC`), upper-cased. */
export function parseTail(text: string, field = "tail"): Result<string> {
  const tail = text.trim().toUpperCase();
  if (/^[A-Z0-9]{1,3}-?[A-Z0-9]{1,6}$/.test(tail) && tail.length >= 3) return ok(tail);
  return err(t("tail.invalid", { input: quote(text) }), exampleFor(field, "HK-4F2", "N123AB"), field);
}

/** Vehicle plate: letters and digits, spaces or dashes between, upper-cased. */
export function parsePlate(text: string, field = "plate"): Result<string> {
  const plate = text.trim().toUpperCase().replace(/\s+/g, " ");
  if (/^[A-Z0-9](?:[A-Z0-9 -]{0,10}[A-Z0-9])?$/.test(plate)) return ok(plate);
  return err(t("plate.invalid", { input: quote(text) }), exampleFor(field, "ABC123"), field);
}

export function parseIdentifier(option: IdentifierOption, text: string): Result<string> {
  switch (option) {
    case "mmsi":
      return parseMmsi(text);
    case "imo":
      return parseImo(text);
    case "tail":
      return parseTail(text);
    case "plate":
      return parsePlate(text);
  }
}

/**
 * Keys two sightings must share to be "the same thing": case, spacing and dashes don't count
 * (`HK-4F2` is `hk4f2`, `Sin  Nombre` is `sin nombre`).
 */
export function identifierKeys(ids: Identifiers): string[] {
  const keys: string[] = [];
  if (ids.name) keys.push(`name:${ids.name.toLowerCase().replace(/\s+/g, " ").trim()}`);
  for (const option of IDENTIFIER_OPTIONS) {
    const value = ids[option];
    if (value) keys.push(`${option}:${value.toLowerCase().replace(/[^a-z0-9]/g, "")}`);
  }
  return keys;
}

/** `"SIN NOMBRE" · MMSI 367123450 · tail HK-4F2`, or "" when there is nothing. */
export function formatIdentifiers(ids: Identifiers): string {
  const parts: string[] = [];
  if (ids.name) parts.push(`"${ids.name}"`);
  if (ids.mmsi) parts.push(`MMSI ${ids.mmsi}`);
  if (ids.imo) parts.push(`IMO ${ids.imo}`);
  if (ids.tail) parts.push(`tail ${ids.tail}`);
  if (ids.plate) parts.push(`plate ${ids.plate}`);
  return parts.join(" · ");
}
