import { localTime } from "./zone.ts";

export const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * `28 Nov 07:14Z`; the year is added when it is not the year of `now`. `months` are the room's
 * language's short month names (a DTG, `281530ZNOV26`, keeps its own: see dtg.ts).
 */
export function formatZulu(date: Date, now: Date, months: readonly string[] = MONTHS): string {
  const day = `${date.getUTCDate()} ${months[date.getUTCMonth()] ?? MONTHS[date.getUTCMonth()]}`;
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
export function formatSeen(
  date: Date,
  now: Date,
  timeZone: string | undefined,
  months: readonly string[] = MONTHS,
): string {
  const local = timeZone === undefined || timeZone === "UTC" ? undefined : formatLocal(date, timeZone);
  const zulu = formatZulu(date, now, months);
  return local === undefined ? zulu : `${zulu} (${local})`;
}

/** `27 Nov 06:00` in an IANA zone, with the language's month names. */
export function formatLocalStamp(at: Date, timeZone: string, months: readonly string[] = MONTHS): string {
  const t = localTime(at, timeZone);
  return `${t.day} ${months[t.month - 1] ?? MONTHS[t.month - 1]} ${pad(t.hour)}:${pad(t.minute)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
