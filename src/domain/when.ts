import { formatDuration } from "./dtg.ts";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `28 Nov 07:14Z`; the year is added when it is not the year of `now`. */
export function formatZulu(date: Date, now: Date): string {
  const day = `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}`;
  const year = date.getUTCFullYear() === now.getUTCFullYear() ? "" : ` ${date.getUTCFullYear()}`;
  return `${day}${year} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}Z`;
}

/** `02:14 Bogota` in an IANA zone (for the room's officers), or undefined if the zone is unknown. */
export function formatLocal(date: Date, timeZone: string): string | undefined {
  try {
    const time = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(date);
    const place = timeZone.split("/").pop()?.replace(/_/g, " ") ?? timeZone;
    return `${time} ${place}`;
  } catch {
    return undefined;
  }
}

/** `28 Nov 07:14Z (02:14 Bogota)`. */
export function formatSeen(date: Date, now: Date, timeZone: string | undefined): string {
  const local = timeZone === undefined || timeZone === "UTC" ? undefined : formatLocal(date, timeZone);
  return local === undefined ? formatZulu(date, now) : `${formatZulu(date, now)} (${local})`;
}

/** `3 h ago`, `just now`, `in 2 h 46 m`. */
export function formatRelative(date: Date, now: Date): string {
  const ms = +now - +date;
  if (Math.abs(ms) < 60_000) return "just now";
  return ms > 0 ? `${formatDuration(ms)} ago` : `in ${formatDuration(ms)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
