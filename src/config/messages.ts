/**
 * Wording for configuration problems. Schema-level messages (enums, IDs) are written beside the
 * schemas; this is the fallback for everything zod reports generically, phrased in YAML terms
 * ("a mapping", "a list") because that is what the operator is editing.
 */
import type { z } from "zod";

/** How a value the operator wrote is shown back to them. */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return "nothing";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return typeof value;
}

const expectedNouns: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  object: "a mapping (key: value)",
  record: "a mapping (key: value)",
  array: "a list",
};

function expectedNoun(expected: string): string {
  return expectedNouns[expected] ?? expected;
}

function sizeMessage(origin: string, bound: string, limit: number | bigint, inclusive: boolean): string {
  if (origin === "array" || origin === "set") {
    const items = `${limit} item${limit === 1 || limit === 1n ? "" : "s"}`;
    return bound === "min" ? `must list at least ${items}` : `must list at most ${items}`;
  }
  if (origin === "string") {
    const chars = `${limit} character${limit === 1 || limit === 1n ? "" : "s"}`;
    return bound === "min" ? `must be at least ${chars} long` : `must be at most ${chars} long`;
  }
  if (bound === "min") return inclusive ? `must be at least ${limit}` : `must be greater than ${limit}`;
  return inclusive ? `must be at most ${limit}` : `must be less than ${limit}`;
}

/** Per-parse error map: used for every issue a schema does not word itself. */
export function genericMessage(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return `missing; expected ${expectedNoun(issue.expected)}`;
      return `expected ${expectedNoun(issue.expected)}, got ${describeValue(issue.input)}`;
    case "too_small":
      return sizeMessage(issue.origin, "min", issue.minimum, issue.inclusive ?? true);
    case "too_big":
      return sizeMessage(issue.origin, "max", issue.maximum, issue.inclusive ?? true);
    case "invalid_value":
      return `${describeValue(issue.input)} is not allowed; allowed: ${issue.values.map(String).join(", ")}`;
    case "unrecognized_keys":
      return "unknown key";
    case "invalid_format":
      return `${describeValue(issue.input)} is not in the expected format`;
    default:
      return `${describeValue(issue.input)} is not valid here`;
  }
}
