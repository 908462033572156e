/**
 * Cron schedules read and matched over local wall-clock minutes in a room's zone.
 *
 * Why not node-cron's own matcher: node-cron 4 exports only `schedule`/`validate`; its matcher
 * is internal and only fires on the live clock. A digest needs the most recent due instant at or
 * before a given time (to catch up after downtime within the grace) and the next one (for
 * `!digest show`), computed with a fake clock in tests — so this small matcher does that, and the
 * scheduler only uses node-cron to wake once a minute.
 *
 * Five fields, `minute hour day-of-month month day-of-week`: `*`, numbers, ranges `1-5`, steps
 * `*​/15` and `8-18/2`, lists `0,30`, month and weekday names (`JAN`, `MON`; 7 is Sunday too), and
 * `@hourly`, `@daily`, `@weekly`, `@monthly`. As in Vixie cron, when both day fields are restricted
 * a day matching either is due. Across DST: a local minute that happens twice is due once (the
 * first time); one that never happens is due at the jump (zone.ts `instantOf`).
 */
import { type ErrorText, err, ok, quote, type Result, t } from "./result.ts";
import { instantOf, localTime } from "./zone.ts";

export interface Cron {
  /** As written (normalised spaces). */
  text: string;
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  days: ReadonlySet<number>;
  months: ReadonlySet<number>;
  weekdays: ReadonlySet<number>;
  /** Whether day-of-month / day-of-week were `*` (the Vixie rule above). */
  anyDay: boolean;
  anyWeekday: boolean;
}

export const CRON_EXAMPLE = '"0 6 * * *" (06:00 every day)';

const MACROS: Readonly<Record<string, string>> = {
  "@hourly": "0 * * * *",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@weekly": "0 0 * * 0",
  "@monthly": "0 0 1 * *",
};

const MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface FieldSpec {
  name: "minute" | "hour" | "day of month" | "month" | "day of week";
  min: number;
  max: number;
  names?: readonly string[];
  /** Added to a name's index (months count from 1). */
  nameBase?: number;
}

const FIELDS: readonly FieldSpec[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTH_NAMES, nameBase: 1 },
  { name: "day of week", min: 0, max: 7, names: DAY_NAMES, nameBase: 0 },
];

const FIELD_NAMES = {
  minute: "cron.minute",
  hour: "cron.hour",
  "day of month": "cron.dayOfMonth",
  month: "cron.month",
  "day of week": "cron.dayOfWeek",
} as const;

function value(text: string, f: FieldSpec): number | undefined {
  const named = f.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + (f.nameBase ?? 0);
  if (!/^\d{1,2}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= f.min && n <= f.max ? n : undefined;
}

function parseField(text: string, f: FieldSpec, whole: string): Result<Set<number>> {
  const out = new Set<number>();
  const bad = (why: ErrorText) =>
    err<Set<number>>(
      t("cron.field", { cron: quote(whole), field: t(FIELD_NAMES[f.name]), input: quote(text), why }),
      CRON_EXAMPLE,
      "cron",
    );
  for (const part of text.split(",")) {
    const m = /^([^/]+)(?:\/(\d{1,2}))?$/.exec(part);
    if (m === null) return bad(t("cron.notStep"));
    const [, range = "", stepText] = m;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) return bad(t("cron.stepZero"));
    let lo: number | undefined;
    let hi: number | undefined;
    if (range === "*") [lo, hi] = [f.min, f.max];
    else {
      const [a = "", b] = range.split("-");
      lo = value(a, f);
      hi = b === undefined ? (stepText === undefined ? lo : f.max) : value(b, f);
    }
    if (lo === undefined || hi === undefined) {
      const numeric = range.split("-").every((w) => w === "*" || /^\d+$/.test(w));
      if (numeric) return bad(t("cron.outside", { min: f.min, max: f.max }));
      const names = f.names?.slice(0, 3).join(", ");
      return bad(names === undefined ? t("cron.notStep") : t("cron.notStepOrName", { names }));
    }
    if (lo > hi) return bad(t("cron.backwards"));
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return ok(out);
}

/** `0 6 * * *` → a schedule, or an error that names the wrong field and shows an example. */
export function parseCron(input: string): Result<Cron> {
  const text = input.trim().replace(/\s+/g, " ");
  // Own keys only: `constructor` or `__proto__` is a word someone can type, not a macro.
  const macro = text.toLowerCase();
  const expanded = (Object.hasOwn(MACROS, macro) ? MACROS[macro] : undefined) ?? text;
  const words = expanded.split(" ");
  if (words.length !== 5) {
    const why =
      words.length === 6
        ? t("cron.seconds", { cron: quote(text) })
        : t("cron.fieldCount", { cron: quote(text), count: text === "" ? 0 : words.length });
    return err(why, CRON_EXAMPLE, "cron");
  }
  const sets: Set<number>[] = [];
  for (const [i, f] of FIELDS.entries()) {
    const r = parseField(words[i] ?? "", f, text);
    if (!r.ok) return r;
    sets.push(r.value);
  }
  const [minutes, hours, days, months, weekdays] = sets as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  if (weekdays.has(7)) weekdays.add(0);
  return ok({
    text,
    minutes,
    hours,
    days,
    months,
    weekdays,
    anyDay: words[2] === "*",
    anyWeekday: words[4] === "*",
  });
}

interface CivilDate {
  year: number;
  month: number;
  day: number;
}

function addDays(d: CivilDate, n: number): CivilDate & { weekday: number } {
  const at = new Date(Date.UTC(d.year, d.month - 1, d.day + n));
  return {
    year: at.getUTCFullYear(),
    month: at.getUTCMonth() + 1,
    day: at.getUTCDate(),
    weekday: at.getUTCDay(),
  };
}

function dayDue(c: Cron, d: CivilDate & { weekday: number }): boolean {
  if (!c.months.has(d.month)) return false;
  const byDay = c.days.has(d.day);
  const byWeekday = c.weekdays.has(d.weekday);
  if (c.anyDay || c.anyWeekday) return byDay && byWeekday;
  return byDay || byWeekday;
}

const sorted = (s: ReadonlySet<number>, dir: 1 | -1) => [...s].sort((a, b) => dir * (a - b));

/** Far enough for `0 6 29 2 *` (leap days) and then some. */
const HORIZON_DAYS = 366 * 8;

/** The most recent instant at or before `now` when `cron` is due in `timeZone`, if any within eight years. */
export function lastDue(c: Cron, timeZone: string, now: Date): Date | undefined {
  const today = localTime(now, timeZone);
  for (let k = 0; k <= HORIZON_DAYS; k++) {
    const d = addDays(today, -k);
    if (!dayDue(c, d)) continue;
    for (const hour of sorted(c.hours, -1)) {
      for (const minute of sorted(c.minutes, -1)) {
        const at = instantOf({ ...d, hour, minute }, timeZone);
        if (at <= +now) return new Date(at);
      }
    }
  }
  return undefined;
}

/** The first instant after `now` when `cron` is due in `timeZone`, if any within eight years. */
export function nextDue(c: Cron, timeZone: string, now: Date): Date | undefined {
  const today = localTime(now, timeZone);
  for (let k = -1; k <= HORIZON_DAYS; k++) {
    const d = addDays(today, k);
    if (!dayDue(c, d)) continue;
    for (const hour of sorted(c.hours, 1)) {
      for (const minute of sorted(c.minutes, 1)) {
        const at = instantOf({ ...d, hour, minute }, timeZone);
        if (at > +now) return new Date(at);
      }
    }
  }
  return undefined;
}
