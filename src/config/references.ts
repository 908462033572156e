/**
 * Checks that span sections of tearline.yaml: names used in one place must be defined in another,
 * schedules must be runnable. They read the document defensively (it may be partly invalid) so a
 * single run reports every problem; values already rejected by their own schema are skipped here.
 */
import { plain } from "../render/render.ts";
import { validateDetailed } from "node-cron";
import { parseCron } from "../domain/cron.ts";
import { PARTNER_CODE, ROOM_ALIAS, ROOM_ID } from "./patterns.ts";
import type { TearlineConfig } from "./schema.ts";

export type Report = (path: (string | number)[], input: unknown, message: string) => void;

type Mapping = Record<string, unknown>;
const isMapping = (v: unknown): v is Mapping => typeof v === "object" && v !== null && !Array.isArray(v);
const entriesOf = (v: unknown): [string, unknown][] => (isMapping(v) ? Object.entries(v) : []);
const itemsOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const listOf = (names: string[]) => (names.length > 0 ? names.join(", ") : "none");

const CRON_FIELDS = "minute hour day-of-month month day-of-week";
const fieldNames: Record<string, string> = { dayOfMonth: "day-of-month", dayOfWeek: "day-of-week" };

export function cronProblem(cron: string): string | undefined {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `${JSON.stringify(cron)} has ${fields.length} field${fields.length === 1 ? "" : "s"}; a cron expression has 5 (${CRON_FIELDS}), e.g. "0 6 * * *"`;
  }
  const first = validateDetailed(fields.join(" ")).errors[0];
  if (!first) {
    // node-cron's reading is wider than the digest matcher's (src/domain/cron.ts): it must run here too.
    const ours = parseCron(cron);
    // Configuration errors are for the operator, in English.
    return ours.ok ? undefined : `${plain(ours.error.message)} e.g. "0 6 * * *"`;
  }
  const field = fieldNames[first.field] ?? first.field;
  const value = first.value === undefined ? "" : ` ${JSON.stringify(first.value)}`;
  return `${JSON.stringify(cron)} is not a valid cron expression: ${field}${value} is out of range or malformed (${CRON_FIELDS})`;
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function checkDigest(digest: unknown, path: (string | number)[], report: Report): void {
  if (!isMapping(digest)) return;
  if (typeof digest.cron === "string" && digest.cron !== "") {
    const problem = cronProblem(digest.cron);
    if (problem) report([...path, "cron"], digest.cron, problem);
  }
  if (typeof digest.tz === "string" && digest.tz !== "" && !isTimeZone(digest.tz)) {
    report(
      [...path, "tz"],
      digest.tz,
      `${JSON.stringify(digest.tz)} is not an IANA time zone; e.g. America/Bogota, Europe/Madrid, UTC`,
    );
  }
}

export function checkReferences(config: unknown, report: Report): void {
  if (!isMapping(config)) return;
  const partners = entriesOf(config.partners).map(([code]) => code);
  const aliases = entriesOf(config.rooms).map(([alias]) => alias);

  const checkPartner = (code: unknown, path: (string | number)[]) => {
    if (typeof code !== "string" || !PARTNER_CODE.test(code) || partners.includes(code)) return;
    report(path, code, `${JSON.stringify(code)} is not a partner; defined partners: ${listOf(partners)}`);
  };

  const aliasOfRoomId = new Map<string, string>();
  for (const [alias, room] of entriesOf(config.rooms)) {
    if (!isMapping(room)) continue;
    for (const [i, code] of itemsOf(room.partners).entries())
      checkPartner(code, ["rooms", alias, "partners", i]);
    if (typeof room.room === "string" && ROOM_ID.test(room.room)) {
      const earlier = aliasOfRoomId.get(room.room);
      if (earlier === undefined) aliasOfRoomId.set(room.room, alias);
      else
        report(
          ["rooms", alias, "room"],
          room.room,
          `${JSON.stringify(room.room)} is already the room of ${earlier}`,
        );
    }
    checkDigest(room.digest, ["rooms", alias, "digest"], report);
  }

  for (const [user, entry] of entriesOf(config.roster)) {
    if (isMapping(entry)) checkPartner(entry.partner, ["roster", user, "partner"]);
  }

  for (const [i, rule] of itemsOf(config.sharing).entries()) {
    if (!isMapping(rule)) continue;
    const targets: [unknown, (string | number)[]][] = Array.isArray(rule.to)
      ? rule.to.map((to, j) => [to, ["sharing", i, "to", j]])
      : [[rule.to, ["sharing", i, "to"]]];
    for (const [alias, path] of [[rule.from, ["sharing", i, "from"]] as const, ...targets]) {
      if (typeof alias !== "string" || !ROOM_ALIAS.test(alias) || aliases.includes(alias)) continue;
      report([...path], alias, `${JSON.stringify(alias)} is not a room; defined rooms: ${listOf(aliases)}`);
    }
    for (const [to, path] of targets) {
      if (typeof rule.from === "string" && rule.from === to) {
        report(path, to, `${JSON.stringify(to)} is also "from"; a rule relays to another room`);
      }
    }
  }
}

/** TLP:RED and TLP:AMBER+STRICT never leave their room (design §6), whatever a rule says. */
const NEVER_LEAVE = ["red", "amber+strict"];

/**
 * Settings that are valid but cannot do what they say: the bot starts, and the operator is told.
 * Runs on a configuration that passed validation.
 */
export function checkWarnings(config: TearlineConfig, report: Report): void {
  for (const [i, rule] of config.sharing.entries()) {
    if (NEVER_LEAVE.includes(rule.max_tlp)) {
      report(
        ["sharing", i, "max_tlp"],
        rule.max_tlp,
        `TLP:RED and TLP:AMBER+STRICT never leave their room; this rule can never relay them (it relays up to TLP:AMBER)`,
      );
    }
  }
}
