/** A UserError as the room reads it: what was wrong (in the room's language), then a correct example. */
import type { Example, UserError } from "../domain/result.ts";
import { type Message, msg, type Piece, upperFirst } from "./message.ts";
import { plain, type RenderOptions } from "./render.ts";

/** `a`, or `a or b or c` in the language: examples are written as typed, never translated. */
export function examplePiece(example: Example): Piece {
  const all = typeof example === "string" ? [example] : example;
  const [first, ...rest] = all.map((e): Piece => ({ kind: "line", text: e }));
  return rest.reduce<Piece>((a, b) => msg("error.either", { a, b }), first);
}

export function exampleLines(example: Example | undefined): Message[] {
  if (example === undefined || example.length === 0) return [];
  return [msg("error.example", { example: examplePiece(example) })];
}

/** `❌ The time …` and `Example: …` on the next line. */
export function errorMessage(e: Pick<UserError, "message" | "example">): Message {
  return msg("error", { message: upperFirst(e.message) }, exampleLines(e.example));
}

/** The plain text of an error and its example on one line (logs, tests): English unless told. */
export function describeError(e: Pick<UserError, "message" | "example">, o?: RenderOptions): string {
  const what = plain(e.message, o);
  return e.example === undefined
    ? what
    : `${what} ${plain(msg("error.example", { example: examplePiece(e.example) }), o)}`;
}
