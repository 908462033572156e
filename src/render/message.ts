/**
 * What the bot says, as data: a message id from the catalogue and typed pieces to fill it. One
 * renderer (render.ts) makes the plain and HTML text, in the room's language; a relayed copy or
 * a digest is rendered from the same data with pieces left out.
 */
import type { Tlp } from "../domain/marking.ts";
import type { MessageId } from "./catalogue/index.ts";

export type { MessageId };

/**
 * How a time is written: `28 Nov 07:14Z`, with the room's local time, `2026-11-28 07:14Z`, `07:14Z`,
 * `3 h ago`, or `27 Nov 06:00` in the piece's own `zone` (a digest's period). Month names and
 * units follow the room's language; a DTG is never a time piece (it is written as it is).
 */
export type TimeStyle = "zulu" | "seen" | "utc" | "clock" | "relative" | "local";

export type Piece =
  /** Bot-made words (codes from the configuration, usage lines, kinds): shown as they are, escaped in HTML. */
  | string
  | number
  /** What a person typed: on one line, stripped of steering characters, capped and quoted. */
  | { kind: "text"; text: string; max: number }
  /** A bot-made sentence that carries user words already quoted (a parser's error): kept on one line. */
  | { kind: "line"; text: string }
  /** `S-12`, `RFI-3`: never translated. */
  | { kind: "ref"; ref: string }
  | { kind: "tlp"; tlp: Tlp }
  | { kind: "time"; at: Date; now: Date; style: TimeStyle; zone?: string }
  | { kind: "duration"; ms: number }
  /** A month (0–11) by its full name in the language. */
  | { kind: "month"; month: number }
  /** A Matrix user id, named in the text (whether they are pinged is the message's `mentions`). */
  | { kind: "user"; userId: string }
  /** Pieces in a row, e.g. a read-back's fields joined by " · ". */
  | { kind: "list"; items: readonly Piece[]; sep: string }
  /** A piece with its first letter made upper- or lower-case (an error after a lead-in, or alone). */
  | { kind: "case"; piece: Piece; first: "upper" | "lower" }
  | Message
  /** Left out: renders as nothing. */
  | undefined;

export type Params = Readonly<Record<string, Piece>>;

export interface Message {
  id: MessageId;
  params?: Params;
  /** Lines that follow this one (e.g. the corroboration line after a sighting's read-back). */
  more?: readonly Message[];
}

export function msg(id: MessageId, params?: Params, more?: readonly Message[]): Message {
  const m: Message = { id };
  if (params !== undefined) m.params = params;
  if (more !== undefined && more.length > 0) m.more = more;
  return m;
}

export function userText(text: string, max: number): Piece {
  return { kind: "text", text, max };
}

export function ref(value: string): Piece {
  return { kind: "ref", ref: value };
}

export function time(at: Date, now: Date, style: TimeStyle = "zulu"): Piece {
  return { kind: "time", at, now, style };
}

/** `27 Nov 06:00` in `zone` (no Z: it is local time). */
export function localStamp(at: Date, zone: string): Piece {
  return { kind: "time", at, now: at, style: "local", zone };
}

export function duration(ms: number): Piece {
  return { kind: "duration", ms };
}

export function user(userId: string): Piece {
  return { kind: "user", userId };
}

export function list(items: readonly Piece[], sep = " · "): Piece {
  return { kind: "list", items, sep };
}

export function upperFirst(piece: Piece): Piece {
  return { kind: "case", piece, first: "upper" };
}

export function lowerFirst(piece: Piece): Piece {
  return { kind: "case", piece, first: "lower" };
}

export function isMessage(p: Piece): p is Message {
  return typeof p === "object" && "id" in p;
}

/** The message and its following lines, as one list. */
export function lines(m: Message): Message[] {
  return [m, ...(m.more ?? [])];
}
