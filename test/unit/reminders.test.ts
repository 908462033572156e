import { describe, expect, it } from "vitest";
import {
  planReminder,
  REMINDER_LEAD_MS,
  type RemindableRfi,
  type ReminderKind,
  recordSent,
  reminderDue,
} from "../../src/domain/reminders.ts";
import { RFI_STATUSES, type RfiPriority, type RfiStatus } from "../../src/domain/rfi.ts";
import { plain } from "../../src/render/render.ts";
import { reminderMessage } from "../../src/render/rfi.ts";

const COL_USA = "!colusa:example.org";
const USA_JTF = "!usajtf:example.org";
const ROJAS = "@lo.col:example.org";
const LTIOV = new Date("2026-11-28T10:00:00Z");
const at = (hhmm: string) => new Date(`2026-11-28T${hhmm}:00Z`);
const HOUR = 3_600_000;
const MINUTE = 60_000;

function rfi(over: Partial<RemindableRfi> = {}): RemindableRfi {
  return {
    ref: "RFI-40",
    roomId: COL_USA,
    originator: ROJAS,
    priority: "immediate",
    ltiov: LTIOV,
    to: { partner: "USA" },
    question: 'last known position of "SIN NOMBRE"?',
    status: "open",
    ...over,
  };
}

/**
 * Runs the minute job at each clock reading, remembering what was sent as the database would;
 * a step may first change the RFI (an answer, a corrected LTIOV). Returns `HH:MM kind` per notice.
 */
function passes(start: RemindableRfi, steps: Array<string | [string, Partial<RemindableRfi>]>): string[] {
  let current = start;
  const sent: string[] = [];
  for (const step of steps) {
    const [hhmm, change] = typeof step === "string" ? [step, {}] : step;
    current = { ...current, ...change };
    const reminder = planReminder(current, at(hhmm));
    if (reminder === undefined) continue;
    sent.push(`${hhmm} ${reminder.kind}`);
    current = { ...current, ...recordSent(current, reminder) };
  }
  return sent;
}

describe("RFI reminder lead times", () => {
  it.each<[RfiPriority, number]>([
    ["immediate", 2],
    ["priority", 6],
    ["routine", 24],
  ])("reminds a %s RFI %i h before its LTIOV, not a minute earlier", (priority, hours) => {
    expect(REMINDER_LEAD_MS[priority]).toBe(hours * HOUR);
    const r = rfi({ priority });
    expect(reminderDue(r, new Date(+LTIOV - hours * HOUR - MINUTE))).toBeUndefined();
    expect(reminderDue(r, new Date(+LTIOV - hours * HOUR))).toBe("reminder");
    expect(reminderDue(r, new Date(+LTIOV - MINUTE))).toBe("reminder");
  });
});

describe("RFI reminders, minute by minute", () => {
  const cases: Array<[string, RemindableRfi, Array<string | [string, Partial<RemindableRfi>]>, string[]]> = [
    [
      "reminds once inside the lead window, then says once that it is overdue",
      rfi(),
      ["07:14", "07:59", "08:00", "08:01", "09:59", "10:00", "10:01", "10:02", "23:59"],
      ["08:00 reminder", "10:01 overdue"],
    ],
    [
      "reminds once when first looked at inside the window (raised there, or the bot was down)",
      rfi(),
      ["09:30", "09:31", "10:01"],
      ["09:30 reminder", "10:01 overdue"],
    ],
    [
      "gives only the overdue notice when the whole window was missed",
      rfi(),
      ["07:00", "10:30", "10:31"],
      ["10:30 overdue"],
    ],
    ["never reminds an RFI without a deadline", rfi({ ltiov: undefined }), ["08:00", "10:01", "23:59"], []],
    [
      "stops once the RFI is answered",
      rfi(),
      ["08:00", ["09:00", { status: "answered" }], "10:01", "23:59"],
      ["08:00 reminder"],
    ],
    [
      "reminds again when a correction brings the LTIOV forward into the window",
      rfi(),
      ["08:00", ["08:30", { ltiov: at("09:30") }], "08:31", "09:31"],
      ["08:00 reminder", "08:30 reminder", "09:31 overdue"],
    ],
    [
      "re-arms a corrected LTIOV pushed out of the window, and reminds when its window opens",
      rfi(),
      ["08:00", ["08:30", { ltiov: at("14:00") }], "11:59", "12:00", "12:01", "14:01"],
      ["08:00 reminder", "12:00 reminder", "14:01 overdue"],
    ],
    [
      "says overdue again when an overdue RFI gets a new LTIOV that passes too",
      rfi(),
      ["10:01", ["10:30", { ltiov: at("11:00") }], "10:31", "11:01", "11:02"],
      ["10:01 overdue", "10:30 reminder", "11:01 overdue"],
    ],
    [
      "keeps reminding an accepted, deferred or referred RFI: it still awaits its answer",
      rfi({ status: "deferred" }),
      ["08:00", ["08:10", { status: "accepted" }], ["10:01", { status: "referred" }]],
      ["08:00 reminder", "10:01 overdue"],
    ],
  ];
  it.each(cases)("%s", (_name, start, steps, expected) => {
    expect(passes(start, steps)).toEqual(expected);
  });

  const done = RFI_STATUSES.filter(
    (s): s is RfiStatus => !["open", "accepted", "deferred", "referred"].includes(s),
  );
  it.each(done)("never reminds an RFI that is %s", (status) => {
    expect(passes(rfi({ status }), ["08:00", "09:59", "10:01", "23:59"])).toEqual([]);
  });
});

describe("RFI reminder notices", () => {
  const notice = (r: RemindableRfi, hhmm: string) => planReminder(r, at(hhmm));
  /** The words of the notice due at `hhmm`, as the scheduler renders them. */
  const words = (r: RemindableRfi, hhmm: string) => {
    const due = planReminder(r, at(hhmm));
    return due && plain(reminderMessage(r, due.kind, due.ltiov, at(hhmm)));
  };

  it("reads like the scenario and mentions the originator in the room the RFI was raised in", () => {
    expect(notice(rfi(), "08:00")).toEqual({
      kind: "reminder",
      ltiov: LTIOV,
      notices: [{ roomId: COL_USA, mentions: [ROJAS] }],
    });
    expect(words(rfi(), "08:00")).toBe(
      '⏰ RFI-40 (IMMEDIATE) for USA is due in 2 h: "last known position of "SIN NOMBRE"?"',
    );
    expect(words(rfi(), "09:15")).toBe(
      '⏰ RFI-40 (IMMEDIATE) for USA is due in 45 m: "last known position of "SIN NOMBRE"?"',
    );
  });

  it("says when the LTIOV was once it is overdue", () => {
    expect(words(rfi(), "10:05")).toBe(
      '⏰ RFI-40 (IMMEDIATE) for USA is now OVERDUE (LTIOV 28 Nov 10:00Z): "last known position of "SIN NOMBRE"?"',
    );
  });

  it("tells an addressed room too, without pinging the originator there", () => {
    const toRoom = rfi({ to: { room: "usa-jtf", partners: ["USA", "JTF"] }, toRoomId: USA_JTF });
    expect(notice(toRoom, "08:00")?.notices).toEqual([
      { roomId: COL_USA, mentions: [ROJAS] },
      { roomId: USA_JTF, mentions: [] },
    ]);
    expect(words(toRoom, "08:00")).toMatch(/^⏰ RFI-40 \(IMMEDIATE\) for usa-jtf is due in 2 h: /);
  });

  it("tells a room once when the RFI is addressed to the room it was raised in", () => {
    const own = rfi({ to: { room: "col-usa", partners: ["COL", "USA"] }, toRoomId: COL_USA });
    expect(notice(own, "08:00")?.notices.map((n) => n.roomId)).toEqual([COL_USA]);
  });

  it("remembers each notice by the LTIOV it was for", () => {
    const kinds: ReminderKind[] = ["reminder", "overdue"];
    expect(kinds.map((kind) => recordSent({}, { kind, ltiov: LTIOV }))).toEqual([
      { remindedFor: LTIOV },
      { overdueNoticedFor: LTIOV },
    ]);
  });
});
