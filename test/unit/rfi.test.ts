import { describe, expect, it } from "vitest";
import {
  isOverdue,
  parsePriority,
  type RfiAction,
  type RfiStatus,
  transition,
} from "../../src/domain/rfi.ts";
import { plain } from "../../src/render/render.ts";
import { due } from "../../src/render/rfi.ts";

const formatDue = (...a: Parameters<typeof due>) => plain(due(...a));

describe("RFI states", () => {
  const table: Array<[RfiStatus, RfiAction, RfiStatus | string]> = [
    ["open", "accept", "accepted"],
    ["open", "answer", "answered"],
    ["open", "close", "closed"],
    ["accepted", "defer", "deferred"],
    ["deferred", "accept", "accepted"],
    ["referred", "accept", "accepted"],
    ["answered", "answer", "answered"],
    ["answered", "close", "closed"],
    ["denied", "close", "closed"],
    ["open", "withdraw", "withdrawn"],
    ["accepted", "accept", "RFI-1 is accepted, so it can't be accepted."],
    ["answered", "deny", "RFI-1 is answered, so it can't be denied. Its originator can close it."],
    ["closed", "answer", "RFI-1 is closed, so it can't be answered."],
    ["withdrawn", "close", "RFI-1 is withdrawn, so it can't be closed."],
    ["denied", "answer", "RFI-1 is denied, so it can't be answered."],
  ];
  it.each(table)("%s + %s → %s", (status, action, expected) => {
    const r = transition({ ref: "RFI-1", status }, action);
    expect(r.ok ? r.value : plain(r.error.message)).toBe(expected);
  });

  it("is overdue only while it awaits an answer past its LTIOV", () => {
    const now = new Date("2026-11-28T11:05:00Z");
    const ltiov = new Date("2026-11-28T10:00:00Z");
    expect(isOverdue({ status: "deferred", ltiov }, now)).toBe(true);
    expect(isOverdue({ status: "answered", ltiov }, now)).toBe(false);
    expect(isOverdue({ status: "open", ltiov: undefined }, now)).toBe(false);
    expect(formatDue({ status: "open", ltiov }, now)).toBe("⏰ OVERDUE since 28 Nov 10:00Z (1 h 5 m)");
    expect(formatDue({ status: "open", ltiov }, new Date("2026-11-28T07:14:00Z"))).toBe(
      "answer needed by 28 Nov 10:00Z (in 2 h 46 m)",
    );
    expect(formatDue({ status: "closed", ltiov }, now)).toBe("LTIOV 28 Nov 10:00Z");
  });

  it.each([
    ["IMMEDIATE", "immediate"],
    ["p", "priority"],
    ["Routine", "routine"],
  ])("reads priority %j", (text, priority) => {
    expect(parsePriority(text)).toEqual({ ok: true, value: priority });
  });

  it("refuses an unknown priority with the choices", () => {
    const r = parsePriority("flash");
    expect(r.ok ? "" : plain(r.error.message)).toBe(
      '"flash" is not an RFI priority. Priorities: routine, priority, immediate.',
    );
  });
});
