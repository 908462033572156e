/**
 * From a path in the parsed value (`["sharing", 2, "max_tlp"]`) back to where it was written:
 * walk the YAML document to that node and turn its offset into line and column. When the path
 * ends at something that is not there (a missing key), the nearest enclosing node is used.
 */
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type LineCounter } from "yaml";

export type PathSegment = string | number;

export interface Position {
  line: number;
  column: number;
}

/** `sharing[2].max_tlp`, `rooms.col-usa.partners[0]`, `roster["@lo.col:example.org"].partner` */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

function startOf(node: unknown): number | undefined {
  if (isScalar(node) || isMap(node) || isSeq(node) || isAlias(node)) return node.range?.[0];
  return undefined;
}

/**
 * Offset of the node at `path`. `at: "key"` points at the key of the last segment instead of its
 * value (for unknown or malformed keys); a key written with no value also points at the key.
 */
export function offsetOf(doc: Document, path: readonly PathSegment[], at: "value" | "key" = "value"): number {
  let node: unknown = doc.contents;
  let offset = startOf(node) ?? 0;
  for (const [i, segment] of path.entries()) {
    if (isAlias(node)) node = node.resolve(doc);
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(segment));
      if (!pair) return offset;
      const keyOffset = startOf(pair.key);
      const valueOffset = startOf(pair.value);
      if ((last && at === "key") || valueOffset === undefined) return keyOffset ?? offset;
      node = pair.value;
      offset = valueOffset;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment];
      const itemOffset = startOf(item);
      if (itemOffset === undefined) return offset;
      node = item;
      offset = itemOffset;
    } else {
      return offset;
    }
  }
  return offset;
}

export function positionOf(lineCounter: LineCounter, offset: number): Position {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}
