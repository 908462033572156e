/** The one place where what the bot says becomes text: plain `body` and HTML `formatted_body`. */
import { formatDuration } from "../domain/dtg.ts";
import { formatTlp } from "../domain/marking.ts";
import { oneLine, sanitise } from "../domain/userText.ts";
import { formatRelative, formatSeen, formatZulu } from "../domain/when.ts";
import { type Catalogue, english } from "./catalogue/en.ts";
import { isMessage, type Message, type Piece } from "./message.ts";

export type Lang = "en";

export interface RenderOptions {
  lang: Lang;
  /** The room's IANA time zone, for times shown with local time too. */
  timeZone?: string | undefined;
}

export interface Rendered {
  body: string;
  formatted_body: string;
}

const CATALOGUES: Record<Lang, Catalogue> = { en: english };

type Mode = "plain" | "html";

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

function renderPiece(p: Piece, mode: Mode, o: RenderOptions): string {
  if (p === undefined) return "";
  if (typeof p === "string") return words(p, mode);
  if (typeof p === "number") return String(p);
  if (isMessage(p)) return renderMessage(p, mode, o);
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
      return words(formatDuration(p.ms), mode);
    case "list":
      return p.items
        .filter((i) => i !== undefined)
        .map((i) => renderPiece(i, mode, o))
        .join(words(p.sep, mode));
    case "time":
      return words(formatTime(p.at, p.now, p.style, o.timeZone), mode);
  }
}

function formatTime(at: Date, now: Date, style: string, timeZone: string | undefined): string {
  switch (style) {
    case "seen":
      return formatSeen(at, now, timeZone);
    case "utc":
      return `${at.toISOString().slice(0, 16).replace("T", " ")}Z`;
    case "clock":
      return `${at.toISOString().slice(11, 16)}Z`;
    case "relative":
      return formatRelative(at, now);
    default:
      return formatZulu(at, now);
  }
}

/** One message's own line (not its `more` lines). */
function renderMessage(m: Message, mode: Mode, o: RenderOptions): string {
  const template = CATALOGUES[o.lang][m.id];
  const out: string[] = [];
  let last = 0;
  for (const match of template.matchAll(/\{(\w+)\}/g)) {
    out.push(words(template.slice(last, match.index), mode));
    out.push(renderPiece(m.params?.[match[1] ?? ""], mode, o));
    last = match.index + match[0].length;
  }
  out.push(words(template.slice(last), mode));
  return out.join("");
}

/** A message and the lines that follow it. */
export function render(m: Message, o: RenderOptions = { lang: "en" }): Rendered {
  const all = [m, ...(m.more ?? [])];
  return {
    body: all.map((l) => renderMessage(l, "plain", o)).join("\n"),
    formatted_body: all.map((l) => renderMessage(l, "html", o)).join("<br>"),
  };
}

/** The plain text alone (logs, tests). */
export function plain(m: Message, o: RenderOptions = { lang: "en" }): string {
  return render(m, o).body;
}
