/**
 * tearline.yaml from text to a validated `TearlineConfig`, or to errors an operator can act on:
 * each names the file, the line and column, the path (`sharing[2].max_tlp`) and what is allowed.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { formatPath, offsetOf, type PathSegment, positionOf } from "./locate.ts";
import { genericMessage } from "./messages.ts";
import { checkWarnings } from "./references.ts";
import { type TearlineConfig, TearlineConfigSchema } from "./schema.ts";

export { hasRole, memberOf, roomAliasFor } from "./lookup.ts";

export interface ConfigError {
  file: string;
  /** `sharing[2].max_tlp`; empty for problems with the file as a whole or its YAML syntax. */
  path: string;
  /** 1-based; 0 when the problem is not at a place in the file (e.g. it cannot be read). */
  line: number;
  column: number;
  message: string;
}

/** Something valid that will not do what it says (e.g. a rule relaying TLP:RED); same shape as an error. */
export type ConfigWarning = ConfigError;

export type ConfigResult =
  | { ok: true; config: TearlineConfig; warnings: ConfigWarning[] }
  | { ok: false; errors: ConfigError[] };

interface Located {
  path: PathSegment[];
  at: "value" | "key";
  message: string;
}

const segmentsOf = (path: readonly PropertyKey[]): PathSegment[] =>
  path.map((s) => (typeof s === "symbol" ? String(s) : s));

function depthOf(issues: readonly z.core.$ZodIssue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length + (i.code === "unrecognized_keys" ? 1 : 0)));
}

/** Flatten one zod issue into the places it concerns; unions report their closest branch. */
function locateIssue(issue: z.core.$ZodIssue, base: PathSegment[]): Located[] {
  const path = [...base, ...segmentsOf(issue.path)];
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => ({ path: [...path, key], at: "key", message: issue.message }));
    case "invalid_key":
      return [{ path, at: "key", message: issue.issues[0]?.message ?? issue.message }];
    case "invalid_union": {
      const branches = [...issue.errors].sort((a, b) => depthOf(b) - depthOf(a));
      const closest = branches[0];
      if (closest && depthOf(closest) > 0) return closest.flatMap((inner) => locateIssue(inner, path));
      return [{ path, at: "value", message: issue.message }];
    }
    default:
      return [{ path, at: "value", message: issue.message }];
  }
}

function byPosition(a: ConfigError, b: ConfigError): number {
  return a.line - b.line || a.column - b.column || a.path.localeCompare(b.path);
}

export function parseConfigText(text: string, file: string): ConfigResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const errorAt = (offset: number, path: PathSegment[], message: string): ConfigError => ({
    file,
    path: formatPath(path),
    ...positionOf(lineCounter, offset),
    message,
  });

  const syntax = [
    ...doc.errors.map((e) => errorAt(e.pos[0], [], `invalid YAML: ${e.message}`)),
    // An unquoted room ID (`room: !abc:example.org`) parses as a YAML tag on an empty value.
    ...doc.warnings
      .filter((w) => w.code === "TAG_RESOLVE_FAILED")
      .map((w) =>
        errorAt(w.pos[0], [], `${w.message}; quote values that start with "!", e.g. "!abc:example.org"`),
      ),
  ];
  if (syntax.length > 0) return { ok: false, errors: syntax.sort(byPosition) };

  let data: unknown;
  try {
    data = doc.toJS();
  } catch (e) {
    return {
      ok: false,
      errors: [errorAt(0, [], `invalid YAML: ${e instanceof Error ? e.message : String(e)}`)],
    };
  }
  // An empty file is treated as an empty mapping so the errors say which sections are required.
  const parsed = TearlineConfigSchema.safeParse(data ?? {}, { error: genericMessage });
  if (parsed.success) {
    const warnings: ConfigWarning[] = [];
    checkWarnings(parsed.data, (path, _input, message) =>
      warnings.push(errorAt(offsetOf(doc, path, "value"), path, message)),
    );
    return { ok: true, config: parsed.data, warnings: warnings.sort(byPosition) };
  }

  const errors = parsed.error.issues
    .flatMap((issue) => locateIssue(issue, []))
    .map((l) => errorAt(offsetOf(doc, l.path, l.at), l.path, l.message));
  const unique = new Map(errors.map((e) => [`${e.line}:${e.column}:${e.path}:${e.message}`, e]));
  return { ok: false, errors: [...unique.values()].sort(byPosition) };
}

/**
 * `tearline.yaml:14:15 sharing[2].max_tlp: "orange" is not a TLP marking; allowed: …`, one per
 * line. Warnings have the same shape and are formatted the same way.
 */
export function formatConfigErrors(errors: readonly ConfigError[]): string {
  return errors
    .map((e) => {
      const where = e.line > 0 ? `${e.file}:${e.line}:${e.column}` : `${e.file}:`;
      return e.path === "" ? `${where} ${e.message}` : `${where} ${e.path}: ${e.message}`;
    })
    .join("\n");
}

/** Read and validate the file at `path` (from TEARLINE_CONFIG, default ./tearline.yaml). */
export async function loadConfig(path: string): Promise<ConfigResult> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const code = e instanceof Error && "code" in e ? String(e.code) : "unknown error";
    const message =
      code === "ENOENT"
        ? `no configuration file at ${resolve(path)}; set TEARLINE_CONFIG to the path of tearline.yaml`
        : `cannot read ${resolve(path)} (${code}); set TEARLINE_CONFIG to the path of tearline.yaml`;
    return { ok: false, errors: [{ file: path, path: "", line: 0, column: 0, message }] };
  }
  return parseConfigText(text, path);
}
