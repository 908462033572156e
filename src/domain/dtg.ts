import { type ErrorText, err, exampleFor, ok, quote, type Result, t } from "./result.ts";

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
/** Spanish and Portuguese abbreviations that differ from the English ones (partners type them). */
const OTHER_MONTHS: Record<string, number> = {
  ENE: 0,
  FEV: 1,
  ABR: 3,
  MAI: 4,
  AGO: 7,
  SET: 8,
  OUT: 9,
  DIC: 11,
  DEZ: 11,
};
const HOUR_MS = 3_600_000;

const examples = (field: string | undefined) => exampleFor(field, "281530ZNOV26", "2026-11-28T15:30Z");

/**
 * A time as officers write it:
 * - DTG `DDHHMM` + zone letter + `MON` + `YY`: `281530ZNOV26`, `281030RNOV26`, lowercase, spaces
 *   (`28 1530Z NOV 26`), a four-digit year. Military zones: Z = UTC, A–M = UTC+1…+12 (no J),
 *   N–Y = UTC−1…−12. J ("local time") is refused: local to whom?
 * - Short DTG `281530ZNOV` or `281530Z`: the missing year (or month and year) is the one that
 *   puts the time nearest to `now`, so late-December DTGs typed in January land last year.
 * - ISO 8601 with a zone: `2026-11-28T15:30Z`, `2026-11-28T10:30-05:00`, seconds optional.
 * A time without a zone is refused rather than guessed. Only syntax and calendar are checked
 * here; whether the time may lie in the future is the caller's rule (`checkNotFuture`).
 */
export function parseTime(text: string, now: Date, field = "time"): Result<Date> {
  const input = text.trim().toUpperCase();
  if (/^\d{4}-/.test(input)) return parseIsoTime(text, input, field);
  const dtg = /^(\d{2})(\d{2})(\d{2})([A-Z])?([A-Z]{3})?(\d{4}|\d{2})?$/.exec(input.replace(/\s+/g, ""));
  if (dtg === null) {
    return err(t("time.invalid", { input: quote(text) }), examples(field), field);
  }
  const [, dd = "", hh = "", mm = "", zone, mon, yy] = dtg;
  const fail = (message: ErrorText) => err<Date>(message, examples(field), field);
  if (mon === undefined && yy !== undefined) return fail(t("time.yearNoMonth", { input: quote(text) }));
  if (zone === undefined) return fail(t("time.noZoneLetter", { input: quote(text) }));
  if (zone === "J") return fail(t("time.zoneJ", { input: quote(text) }));
  const clock = checkClock(text, Number(hh), Number(mm), 0);
  if (clock !== undefined) return fail(clock);
  const day = Number(dd);
  const offset = zoneOffsetHours(zone);
  const month = mon === undefined ? undefined : monthIndex(mon);
  if (mon !== undefined && month === undefined) {
    return fail(t("time.notAMonth", { month: quote(mon), input: quote(text), months: MONTHS.join(", ") }));
  }
  const at = (year: number, m: number) => utc(year, m, day, Number(hh), Number(mm), 0, 0) - offset * HOUR_MS;
  const nowMonth = now.getUTCMonth();
  const nowYear = now.getUTCFullYear();
  let candidates: Array<{ year: number; month: number }>;
  if (month === undefined) {
    candidates = [-1, 0, 1].map((d) => ({
      year: nowYear + Math.floor((nowMonth + d) / 12),
      month: (nowMonth + d + 12) % 12,
    }));
  } else if (yy === undefined) {
    candidates = [nowYear - 1, nowYear, nowYear + 1].map((year) => ({ year, month }));
  } else {
    candidates = [{ year: yy.length === 2 ? 2000 + Number(yy) : Number(yy), month }];
  }
  const valid = candidates.filter((c) => day >= 1 && day <= daysInMonth(c.year, c.month));
  const nearest = valid.sort(
    (a, b) => Math.abs(at(a.year, a.month) - +now) - Math.abs(at(b.year, b.month) - +now),
  )[0];
  if (nearest === undefined) {
    const c = candidates[1] ?? candidates[0] ?? { year: nowYear, month: nowMonth };
    return fail(dayMessage(text, day, c.year, c.month));
  }
  return ok(new Date(at(nearest.year, nearest.month)));
}

function parseIsoTime(text: string, input: string, field: string): Result<Date> {
  const fail = (message: ErrorText) => err<Date>(message, examples(field), field);
  const iso =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)? ?(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(
      input,
    );
  if (iso === null) return fail(t("time.isoInvalid", { input: quote(text) }));
  const [, y = "", mo = "", d = "", hh, mm, ss, fraction, zone] = iso;
  if (hh === undefined || mm === undefined) return fail(t("time.noTimeOfDay", { input: quote(text) }));
  if (zone === undefined) return fail(t("time.noZone", { input: quote(text) }));
  const year = Number(y);
  const month = Number(mo) - 1;
  const day = Number(d);
  if (month < 0 || month > 11) return fail(t("time.monthRange", { month: mo, input: quote(text) }));
  if (day < 1 || day > daysInMonth(year, month)) return fail(dayMessage(text, day, year, month));
  const clock = checkClock(text, Number(hh), Number(mm), Number(ss ?? 0));
  if (clock !== undefined) return fail(clock);
  let offsetMinutes = 0;
  if (zone !== "Z") {
    const digits = zone.slice(1).replace(":", "");
    const hours = Number(digits.slice(0, 2));
    const minutes = Number(digits.slice(2) || "0");
    if (hours > 14 || minutes > 59 || (hours === 14 && minutes > 0)) {
      return fail(t("time.offsetRange", { offset: zone, input: quote(text) }));
    }
    offsetMinutes = (zone.startsWith("-") ? -1 : 1) * (hours * 60 + minutes);
  }
  const ms = Number((fraction ?? "").padEnd(3, "0").slice(0, 3));
  return ok(
    new Date(utc(year, month, day, Number(hh), Number(mm), Number(ss ?? 0), ms) - offsetMinutes * 60_000),
  );
}

function checkClock(text: string, hour: number, minute: number, second: number): ErrorText | undefined {
  if (hour > 23) return t("time.hourRange", { hour: pad(hour), input: quote(text) });
  if (minute > 59) return t("time.minuteRange", { minute: pad(minute), input: quote(text) });
  if (second > 59) return t("time.secondRange", { second: pad(second), input: quote(text) });
  return undefined;
}

function dayMessage(text: string, day: number, year: number, month: number): ErrorText {
  const days = daysInMonth(year, month);
  return t("time.dayRange", {
    day: pad(day),
    input: quote(text),
    month: { kind: "month", month },
    year,
    days,
  });
}

/** Refuses a time more than `slackMinutes` ahead of `now` (clocks drift; people round up). */
export function checkNotFuture(date: Date, now: Date, slackMinutes = 15, field = "time"): Result<Date> {
  const ahead = +date - +now;
  if (ahead <= slackMinutes * 60_000) return ok(date);
  const message = t("time.future", {
    dtg: formatDtg(date),
    ahead: { kind: "duration", ms: ahead },
    now: formatDtg(now),
  });
  return err(message, exampleFor(field, formatDtg(now)), field);
}

/** `281530ZNOV26`, always in UTC. */
export function formatDtg(date: Date): string {
  const month = MONTHS[date.getUTCMonth()] ?? "???";
  const yy = pad(date.getUTCFullYear() % 100);
  return `${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}Z${month}${yy}`;
}

/** `2 h 46 m`, `3 d 4 h`, `45 m`, as the scenarios write it; `units` are the language's day, hour, minute. */
export function formatDuration(ms: number, units: readonly string[] = ["d", "h", "m"]): string {
  const [du, hu, mu] = [units[0] ?? "d", units[1] ?? "h", units[2] ?? "m"];
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const [d, h, m] = [Math.floor(minutes / 1440), Math.floor((minutes % 1440) / 60), minutes % 60];
  if (d > 0) return h > 0 ? `${d} ${du} ${h} ${hu}` : `${d} ${du}`;
  if (h > 0) return m > 0 ? `${h} ${hu} ${m} ${mu}` : `${h} ${hu}`;
  return `${m} ${mu}`;
}

const DURATION_UNITS: Array<[RegExp, number]> = [
  [/^(M|MIN|MINS|MINUTES?)$/, 60_000],
  [/^(H|HR|HRS|HOURS?)$/, HOUR_MS],
  [/^(D|DAYS?)$/, 24 * HOUR_MS],
  [/^(W|WK|WKS|WEEKS?)$/, 7 * 24 * HOUR_MS],
];

/** The longest look-back: about ten years. Far beyond it the date leaves what PostgreSQL stores. */
export const MAX_DURATION_DAYS = 3660;

/** A look-back period for `since=`: `90m`, `24h`, `7d`, `2w` → milliseconds, at most 3660 days. */
export function parseDuration(text: string, field = "since"): Result<number> {
  const example = exampleFor(field, "24h", "7d");
  const match = /^(\d{1,6})\s*([A-Z]*)$/.exec(text.trim().toUpperCase());
  const unit = DURATION_UNITS.find(([pattern]) => pattern.test(match?.[2] ?? ""));
  if (match !== null && match[2] === "") {
    return err(t("period.noUnit", { input: quote(text) }), example, field);
  }
  if (match === null || unit === undefined) {
    return err(t("period.invalid", { input: quote(text) }), example, field);
  }
  const ms = Number(match[1]) * unit[1];
  if (ms === 0) return err(t("period.zero", { input: quote(text) }), example, field);
  if (ms > MAX_DURATION_DAYS * 24 * HOUR_MS) {
    return err(t("period.tooLong", { input: quote(text), max: MAX_DURATION_DAYS }), example, field);
  }
  return ok(ms);
}

function zoneOffsetHours(letter: string): number {
  if (letter === "Z") return 0;
  const code = letter.charCodeAt(0);
  if (letter <= "I") return code - 64; // A=+1 … I=+9
  if (letter <= "M") return code - 65; // K=+10, L=+11, M=+12 (J skipped)
  return -(code - 77); // N=−1 … Y=−12
}

function monthIndex(abbreviation: string): number | undefined {
  const english = MONTHS.indexOf(abbreviation);
  return english >= 0 ? english : OTHER_MONTHS[abbreviation];
}

function daysInMonth(year: number, month: number): number {
  return new Date(utc(year, month + 1, 0, 0, 0, 0, 0)).getUTCDate();
}

/** Date.UTC reads years 0–99 as 1900–1999; setUTCFullYear does not. */
function utc(year: number, month: number, day: number, h: number, m: number, s: number, ms: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(h, m, s, ms);
  return +date;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
