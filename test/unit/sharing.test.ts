import { describe, expect, it } from "vitest";
import { distanceNm } from "../../src/domain/position.ts";
import { coarsenPosition, gridCell, redactForTarget } from "../../src/domain/redaction.ts";
import {
  type ApprovalVote,
  type Decision,
  dryRun,
  evaluateRelay,
  type PendingApproval,
  quorum,
} from "../../src/domain/sharing.ts";
import type { RoomInfo, ShareableItem, SharingRule } from "../../src/domain/sharingRule.ts";

const NOW = new Date("2026-11-28T16:00:00Z");
const HOUR = 3_600_000;

const COL_USA: RoomInfo = { alias: "col-usa", partners: ["COL", "USA"] };
const USA_JTF: RoomInfo = { alias: "usa-jtf", partners: ["USA", "JTF"] };
const COL_PAN: RoomInfo = { alias: "col-pan", partners: ["COL", "PAN"] };

/** The rule of the issue: an approver, the person and what names the vessel stripped, 10 km cells. */
const RULE: SharingRule = {
  name: "col-usa→usa-jtf",
  from: "col-usa",
  to: "usa-jtf",
  kinds: ["sighting", "rfi", "text"],
  maxTlp: "amber",
  approval: { role: "approver", count: 1, notRequester: true, expiresMs: 24 * HOUR },
  redact: ["reporter", "remarks", "identifiers", "name"],
  positionPrecisionM: 10_000,
  forward: false,
};
const AUTO: SharingRule = { ...RULE, approval: "auto", redact: [], positionPrecisionM: undefined };

const SIGHTING: ShareableItem = {
  kind: "sighting",
  ref: "S-12",
  tlp: "amber",
  sighting: {
    kind: "vessel",
    position: { lat: 12.5123, lon: -79.2049, precisionM: 100, format: "decimal" },
    seenAt: new Date("2026-11-28T07:14:00Z"),
    ids: { name: "SIN NOMBRE", mmsi: "367123450", imo: "9074729" },
    course: 45,
    speed: { knots: 32, value: 32, unit: "kt" },
    grading: { reliability: "B", credibility: 2 },
    remarks: "two outboards, no lights",
    reporter: "@lo.col:example.org",
    reporterPartner: "COL",
  },
};
const RFI: ShareableItem = {
  kind: "rfi",
  ref: "RFI-3",
  tlp: "green",
  rfi: {
    question: "last known position of SIN NOMBRE?",
    priority: "immediate",
    originator: "@lo.col:example.org",
    originatorPartner: "COL",
  },
};
const TEXT: ShareableItem = {
  kind: "text",
  ref: "A-1",
  tlp: "clear",
  text: { text: "go-fast heading north", reporter: "@lo.col:example.org", reporterPartner: "COL" },
};

const decide = (rules: SharingRule[], item: ShareableItem, target = USA_JTF): Decision =>
  evaluateRelay(rules, item, COL_USA, target, NOW);

describe("evaluateRelay: deny by default", () => {
  it("asks for the rule's approval, expiring after the rule's period", () => {
    expect(decide([RULE], SIGHTING)).toEqual({
      outcome: "pending",
      rule: RULE,
      approval: {
        role: "approver",
        count: 1,
        notRequester: true,
        expiresAt: new Date("2026-11-29T16:00:00Z"),
      },
    });
  });

  it("relays at once under an auto rule", () => {
    expect(decide([AUTO], TEXT)).toEqual({ outcome: "relay", rule: AUTO, needs: "none" });
  });

  const refusals: {
    name: string;
    rules: SharingRule[];
    item: ShareableItem;
    target?: RoomInfo;
    reason: string;
    detail: string;
  }[] = [
    {
      name: "to a room no rule reaches",
      rules: [RULE],
      item: SIGHTING,
      target: COL_PAN,
      reason: "no-rule",
      detail: "no sharing rule from col-usa to col-pan",
    },
    {
      name: "to its own room",
      rules: [RULE],
      item: SIGHTING,
      target: COL_USA,
      reason: "no-rule",
      detail: "col-usa is the item's own room",
    },
    {
      name: "a kind the rule does not list",
      rules: [{ ...RULE, kinds: ["sighting", "text"] }],
      item: RFI,
      reason: "kind",
      detail: "the rules from col-usa to usa-jtf share sighting, text, not rfi",
    },
    {
      name: "a marking above the rule's max_tlp",
      rules: [{ ...RULE, maxTlp: "green" }],
      item: SIGHTING,
      reason: "tlp",
      detail: "TLP:AMBER is above TLP:GREEN, the most col-usa to usa-jtf allows",
    },
    {
      name: "TLP:RED, even under a rule up to red",
      rules: [{ ...RULE, maxTlp: "red" }],
      item: { ...SIGHTING, tlp: "red" },
      reason: "never-leaves",
      detail: "TLP:RED never leaves col-usa",
    },
    {
      name: "TLP:AMBER+STRICT, even under a rule up to red",
      rules: [{ ...RULE, maxTlp: "red" }],
      item: { ...SIGHTING, tlp: "amber+strict" },
      reason: "never-leaves",
      detail: "TLP:AMBER+STRICT never leaves col-usa",
    },
    {
      name: "TLP:RED to a room no rule reaches (never-leaves says more than no-rule)",
      rules: [],
      item: { ...TEXT, tlp: "red" },
      target: COL_PAN,
      reason: "never-leaves",
      detail: "TLP:RED never leaves col-usa",
    },
    {
      name: "a REL TO that leaves out a partner of the target",
      rules: [RULE],
      item: { ...SIGHTING, rel: ["COL", "USA"] },
      reason: "releasability",
      detail: "REL TO COL, USA leaves out JTF of usa-jtf",
    },
    {
      name: "an empty REL TO",
      rules: [RULE],
      item: { ...SIGHTING, rel: [] },
      reason: "releasability",
      detail: "its REL TO names no partner and leaves out USA, JTF of usa-jtf",
    },
    {
      name: "onward, an item relayed here under a rule without forward",
      rules: [{ ...RULE, from: "col-usa", to: "usa-jtf" }],
      item: { ...SIGHTING, relayed: { fromRoom: "col-pan", ruleForward: false } },
      reason: "forwarding",
      detail: "it was relayed from col-pan under a rule without forward: true",
    },
    {
      name: "back to the room it was relayed from, even with forward",
      rules: [RULE],
      item: { ...SIGHTING, relayed: { fromRoom: "usa-jtf", ruleForward: true } },
      reason: "forwarding",
      detail: "it came from usa-jtf; it does not go back",
    },
  ];

  it.each(refusals)("refuses $name", ({ rules, item, target, reason, detail }) => {
    expect(decide(rules, item, target)).toMatchObject({ outcome: "refused", reason, detail });
  });

  it("relays REL TO that names every partner of the target, and more", () => {
    expect(decide([RULE], { ...SIGHTING, rel: ["JTF", "COL", "USA"] }).outcome).toBe("pending");
  });

  it("lets an item relayed under a rule with forward go on, under the onward rule", () => {
    const item: ShareableItem = { ...TEXT, relayed: { fromRoom: "col-pan", ruleForward: true } };
    expect(decide([AUTO], item).outcome).toBe("relay");
    expect(decide([{ ...AUTO, maxTlp: "clear" }], { ...item, tlp: "green" })).toMatchObject({
      reason: "tlp",
    });
  });
});

describe("evaluateRelay: the most restrictive of several rules wins", () => {
  const loose: SharingRule = {
    ...AUTO,
    name: "col-usa→usa-jtf",
    redact: ["remarks"],
    positionPrecisionM: 1000,
    forward: true,
  };
  const strict: SharingRule = {
    ...RULE,
    name: "col-usa→usa-jtf#2",
    approval: { role: "commander", count: 2, notRequester: false, expiresMs: 6 * HOUR },
    redact: ["name"],
    positionPrecisionM: 10_000,
  };
  const textOnly: SharingRule = { ...AUTO, name: "col-usa→usa-jtf#3", kinds: ["text"], maxTlp: "clear" };

  it("pending beats relay; redactions add up; the coarsest precision and no forwarding", () => {
    const decision = decide([loose, strict, textOnly], SIGHTING);
    expect(decision).toMatchObject({
      outcome: "pending",
      approval: {
        role: "commander",
        count: 2,
        notRequester: false,
        expiresAt: new Date(NOW.getTime() + 6 * HOUR),
      },
      rule: {
        name: "col-usa→usa-jtf + col-usa→usa-jtf#2",
        redact: ["remarks", "name"],
        positionPrecisionM: 10_000,
        forward: false,
        maxTlp: "amber",
      },
    });
  });

  it("a rule that does not list the kind takes no part", () => {
    expect(decide([loose, textOnly], SIGHTING)).toMatchObject({ outcome: "relay", rule: loose });
  });

  it("one rule's refusal refuses, whatever the others allow", () => {
    expect(decide([loose, { ...strict, maxTlp: "green" }], SIGHTING)).toMatchObject({
      outcome: "refused",
      reason: "tlp",
    });
  });

  it("the requester is excluded if any rule says so, and the earliest expiry holds", () => {
    const a: SharingRule = {
      ...RULE,
      approval: { role: "approver", count: 1, notRequester: true, expiresMs: HOUR },
    };
    const b: SharingRule = {
      ...RULE,
      approval: { role: "approver", count: 3, notRequester: false, expiresMs: 7 * 24 * HOUR },
    };
    expect(decide([a, b], SIGHTING)).toMatchObject({
      approval: { role: "approver", count: 3, notRequester: true, expiresAt: new Date(NOW.getTime() + HOUR) },
    });
  });
});

describe("quorum", () => {
  const approval: PendingApproval = {
    role: "approver",
    count: 2,
    notRequester: true,
    expiresAt: new Date("2026-11-29T16:00:00Z"),
  };
  const REQUESTER = "@lo.col:example.org";
  const vote = (user: string, roles: string[], at = "2026-11-28T17:00:00Z"): ApprovalVote => ({
    user,
    roles,
    at: new Date(at),
  });

  it("counts distinct approvers, and says why every other vote did not count", () => {
    const votes = [
      vote(REQUESTER, ["approver"]),
      vote("@liaison:example.org", ["liaison"]),
      vote("@a:example.org", ["approver"]),
      vote("@a:example.org", ["approver", "duty_officer"]),
      vote("@late:example.org", ["approver"], "2026-11-29T16:00:01Z"),
    ];
    expect(quorum(approval, REQUESTER, votes, NOW)).toEqual({
      met: false,
      counted: ["@a:example.org"],
      ignored: [
        { user: REQUESTER, why: "requester" },
        { user: "@liaison:example.org", why: "role" },
        { user: "@a:example.org", why: "duplicate" },
        { user: "@late:example.org", why: "expired" },
      ],
      expired: false,
    });
  });

  it("is met by as many distinct approvers as the rule asks for, up to the expiry itself", () => {
    const votes = [
      vote("@a:example.org", ["approver"]),
      vote("@b:example.org", ["approver"], "2026-11-29T16:00:00Z"),
    ];
    expect(quorum(approval, REQUESTER, votes, NOW)).toMatchObject({
      met: true,
      counted: ["@a:example.org", "@b:example.org"],
    });
  });

  it("counts the requester when the rule allows it", () => {
    const result = quorum(
      { ...approval, count: 1, notRequester: false },
      REQUESTER,
      [vote(REQUESTER, ["approver"])],
      NOW,
    );
    expect(result).toMatchObject({ met: true, counted: [REQUESTER] });
  });

  it("says a quorum not met by its expiry has expired", () => {
    const after = new Date("2026-11-29T16:00:01Z");
    expect(quorum(approval, REQUESTER, [vote("@a:example.org", ["approver"])], after)).toMatchObject({
      met: false,
      expired: true,
    });
  });
});

describe("redactForTarget", () => {
  it("removes every listed field entirely — no key, no value anywhere — and keeps the partner", () => {
    const copy = redactForTarget(SIGHTING, RULE);
    if (copy.kind !== "sighting") throw new Error("kind changed");
    expect(Object.keys(copy.sighting).sort()).toEqual(
      ["course", "grading", "ids", "kind", "position", "reporterPartner", "seenAt", "speed"].sort(),
    );
    expect(copy.sighting.ids).toEqual({});
    const json = JSON.stringify(copy);
    for (const value of ["@lo.col:example.org", "two outboards", "SIN NOMBRE", "367123450", "9074729"]) {
      expect(json).not.toContain(value);
    }
    expect(copy.sighting.reporterPartner).toBe("COL");
    expect(copy).toMatchObject({ ref: "S-12", tlp: "amber" });
  });

  it("keeps the name when only identifiers go, and the identifiers when only the name goes", () => {
    const withoutIds = redactForTarget(SIGHTING, { ...RULE, redact: ["identifiers"] });
    const withoutName = redactForTarget(SIGHTING, { ...RULE, redact: ["name"] });
    expect(withoutIds.kind === "sighting" && withoutIds.sighting.ids).toEqual({ name: "SIN NOMBRE" });
    expect(withoutName.kind === "sighting" && withoutName.sighting.ids).toEqual({
      mmsi: "367123450",
      imo: "9074729",
    });
  });

  it("removes the position, course, speed and grading when listed", () => {
    const copy = redactForTarget(SIGHTING, { ...RULE, redact: ["position", "course", "speed", "grading"] });
    if (copy.kind !== "sighting") throw new Error("kind changed");
    for (const key of ["position", "course", "speed", "grading"])
      expect(copy.sighting).not.toHaveProperty(key);
    expect(JSON.stringify(copy)).not.toContain("12.5123");
  });

  it("removes the person who asked an RFI and who wrote a text alert", () => {
    const rfi = redactForTarget(RFI, RULE);
    const text = redactForTarget(TEXT, RULE);
    expect(rfi).toEqual({
      kind: "rfi",
      ref: "RFI-3",
      tlp: "green",
      rfi: {
        question: RFI.kind === "rfi" ? RFI.rfi.question : "",
        priority: "immediate",
        originatorPartner: "COL",
      },
    });
    expect(text).toEqual({
      kind: "text",
      ref: "A-1",
      tlp: "clear",
      text: { text: "go-fast heading north", reporterPartner: "COL" },
    });
  });

  it("keeps REL TO but not where the item came from before", () => {
    const copy = redactForTarget(
      { ...TEXT, rel: ["USA", "JTF"], relayed: { fromRoom: "col-pan", ruleForward: true } },
      RULE,
    );
    expect(copy.rel).toEqual(["USA", "JTF"]);
    expect(copy).not.toHaveProperty("relayed");
    expect(JSON.stringify(copy)).not.toContain("col-pan");
  });

  it("coarsens the position to the rule's grid, and leaves it as given without a precision", () => {
    const copy = redactForTarget(SIGHTING, RULE);
    const position = copy.kind === "sighting" ? copy.sighting.position : undefined;
    expect(position?.precisionM).toBe(10_000);
    expect(position?.lat).not.toBe(12.5123);
    const plain = redactForTarget(SIGHTING, AUTO);
    expect(plain.kind === "sighting" && plain.sighting.position).toEqual(
      SIGHTING.kind === "sighting" && SIGHTING.sighting.position,
    );
  });
});

describe("coarsening to a grid", () => {
  const at = (lat: number, lon: number, precisionM = 10) => ({
    lat,
    lon,
    precisionM,
    format: "decimal" as const,
  });

  it("gives nearby positions in one cell the same centre, and the centre is its own cell's centre", () => {
    const a = coarsenPosition(at(12.5123, -79.2049), 10_000);
    const cell = gridCell(12.5123, -79.2049, 10_000);
    expect(coarsenPosition(at(cell.south + 0.001, cell.west + 0.001), 10_000)).toEqual(a);
    expect(coarsenPosition(at(cell.north - 0.001, cell.east - 0.001), 10_000)).toEqual(a);
    expect(coarsenPosition(a, 10_000)).toEqual(a);
  });

  it("stays within the cell's diagonal of where it was", () => {
    const p = at(12.5123, -79.2049);
    const q = coarsenPosition(p, 10_000);
    expect(distanceNm(p, q) * 1852).toBeLessThan(Math.SQRT2 * 10_000);
  });

  it("never claims to be finer than the position was given", () => {
    expect(coarsenPosition(at(12.5, -79.2, 50_000), 10_000).precisionM).toBe(50_000);
  });

  it("makes a row next to a pole a single cell, and wraps longitude", () => {
    expect(gridCell(89.99, 10, 10_000)).toMatchObject({ west: -180, east: 180 });
    expect(gridCell(0, 180, 10_000)).toEqual(gridCell(0, -180, 10_000));
  });
});

describe("dryRun", () => {
  it("says for every other room what would happen and which fields would go", () => {
    const lines = dryRun([RULE], SIGHTING, COL_USA, [COL_USA, USA_JTF, COL_PAN], NOW);
    expect(lines.map((l) => [l.room, l.decision.outcome])).toEqual([
      ["usa-jtf", "pending"],
      ["col-pan", "refused"],
    ]);
    expect(lines[0]?.redaction).toEqual({
      kept: ["position", "course", "speed", "grading"],
      removed: ["reporter", "remarks", "name", "identifiers"],
      coarsened: { fromM: 100, toM: 10_000 },
    });
    expect(lines[1]).not.toHaveProperty("redaction");
  });
});
