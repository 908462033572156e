/** The one place where what the bot says becomes text: plain `body` and HTML `formatted_body`, in the room's language. */
import { formatDuration } from "../domain/dtg.ts";
import type { Lang } from "../domain/lang.ts";
import { formatTlp } from "../domain/marking.ts";
import { oneLine, sanitise } from "../domain/userText.ts";
import { formatLocalStamp, formatSeen, formatZulu } from "../domain/when.ts";
import { CATALOGUES, type Catalogue } from "./catalogue/index.ts";
import { isMessage, type Message, type Piece } from "./message.ts";

export type { Lang };

export interface RenderOptions {
  lang: Lang;
  /** The room's IANA time zone, for times shown with local time too. */
  timeZone?: string | undefined;
}

export interface Rendered {
  body: string;
  formatted_body: string;
}

type Mode = "plain" | "html";

/** What one rendering needs: the options and the language's catalogue, looked up once. */
interface Ctx {
  o: RenderOptions;
  c: Catalogue;
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Bot-made text in the given mode: escaped, its own newlines kept as line breaks. */
function words(text: string, mode: Mode): string {
  return mode === "plain" ? text : escapeHtml(text).replace(/\n/g, "<br>");
}

/** "The time…" → "the time…" after a lead-in; acronyms (MGRS, LTIOV) stay. */
function withFirst(text: string, first: "upper" | "lower"): string {
  if (first === "upper") return text.charAt(0).toUpperCase() + text.slice(1);
  return /^\p{Lu}\p{Ll}/u.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

function renderPiece(p: Piece, mode: Mode, x: Ctx): string {
  if (p === undefined) return "";
  if (typeof p === "string") return words(p, mode);
  if (typeof p === "number") return String(p);
  if (isMessage(p)) return renderMessage(p, mode, x);
  switch (p.kind) {
    case "text":
      return words(`"${sanitise(p.text, p.max)}"`, mode);
    case "line":
      return words(oneLine(p.text), mode);
    case "ref":
      return mode === "plain" ? p.ref : `<b>${escapeHtml(p.ref)}</b>`;
    case "tlp":
      return words(formatTlp(p.tlp), mode);
    case "user":
      return words(sanitise(p.userId, 255), mode);
    case "duration":
      return words(formatDuration(p.ms, units(x.c)), mode);
    case "list":
      return p.items
        .filter((i) => i !== undefined)
        .map((i) => renderPiece(i, mode, x))
        .join(words(p.sep, mode));
    case "time":
      return words(formatTime(p.at, p.now, p.style, x, p.zone), mode);
    case "month":
      return words(x.c["time.monthNames"].split(" ")[p.month] ?? String(p.month + 1), mode);
    case "case":
      return withFirst(renderPiece(p.piece, mode, x), p.first);
  }
}

const months = (c: Catalogue) => c["time.months"].split(" ");
const units = (c: Catalogue) => c["time.units"].split(" ");

function formatTime(at: Date, now: Date, style: string, x: Ctx, zone?: string): string {
  switch (style) {
    case "local":
      return formatLocalStamp(at, zone ?? "UTC", months(x.c));
    case "seen":
      return formatSeen(at, now, x.o.timeZone, months(x.c));
    case "utc":
      return `${at.toISOString().slice(0, 16).replace("T", " ")}Z`;
    case "clock":
      return `${at.toISOString().slice(11, 16)}Z`;
    case "relative":
      return formatRelative(at, now, x);
    default:
      return formatZulu(at, now, months(x.c));
  }
}

/** `3 h ago`, `just now`, `in 2 h 46 m`, in the language. */
function formatRelative(at: Date, now: Date, x: Ctx): string {
  const ms = +now - +at;
  if (Math.abs(ms) < 60_000) return x.c["time.justNow"];
  const duration = formatDuration(ms, units(x.c));
  return fill(x.c[ms > 0 ? "time.ago" : "time.in"], (name) => (name === "duration" ? duration : ""));
}

function fill(template: string, param: (name: string) => string): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => param(name));
}

/** One message's own line (not its `more` lines). */
function renderMessage(m: Message, mode: Mode, x: Ctx): string {
  const template = x.c[m.id];
  const out: string[] = [];
  let last = 0;
  for (const match of template.matchAll(/\{(\w+)\}/g)) {
    out.push(words(template.slice(last, match.index), mode));
    out.push(renderPiece(m.params?.[match[1] ?? ""], mode, x));
    last = match.index + match[0].length;
  }
  out.push(words(template.slice(last), mode));
  return out.join("");
}

const ENGLISH: RenderOptions = { lang: "en" };

/** A message and the lines that follow it, in `o.lang`. */
export function render(m: Message, o: RenderOptions = ENGLISH): Rendered {
  const x: Ctx = { o, c: CATALOGUES[o.lang] };
  const all = [m, ...(m.more ?? [])];
  return {
    body: all.map((l) => renderMessage(l, "plain", x)).join("\n"),
    formatted_body: all.map((l) => renderMessage(l, "html", x)).join("<br>"),
  };
}

/** The plain text alone (logs, audit details, tests): English unless told. */
export function plain(m: Message, o: RenderOptions = ENGLISH): string {
  return render(m, o).body;
}
