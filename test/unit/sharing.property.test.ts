/**
 * The tearline's promises (issue 7), checked against random rule sets × items × approvals: each
 * property restates a promise from the rules as written, not from the code that applies them.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TLP_LEVELS, tlpRank } from "../../src/domain/marking.ts";
import { distanceNm, type Position } from "../../src/domain/position.ts";
import { coarsenPosition, gridCell, redactForTarget } from "../../src/domain/redaction.ts";
import { type ApprovalVote, evaluateRelay, quorum } from "../../src/domain/sharing.ts";
import { copyContent, copyMessage } from "../../src/render/alert.ts";
import { render } from "../../src/render/render.ts";
import {
  REDACT_FIELDS,
  type RedactedItem,
  type RedactField,
  type RoomInfo,
  SHAREABLE_KINDS,
  type ShareableItem,
  type SharingRule,
} from "../../src/domain/sharingRule.ts";

const NOW = new Date("2026-11-28T16:00:00Z");
const HOUR = 3_600_000;
const PARTNERS = ["COL", "USA", "JTF", "PAN", "GBR"];
const ALIASES = ["r1", "r2", "r3", "r4"];
const ROLES = ["approver", "commander", "duty_officer"];
const USERS = ["@u0:x.org", "@u1:x.org", "@u2:x.org", "@u3:x.org", "@u4:x.org"];
const REQUESTER = USERS[0] ?? "";

const subset = <T>(values: readonly T[], minLength = 0) => fc.subarray([...values], { minLength });

const roomsArb: fc.Arbitrary<RoomInfo[]> = fc
  .tuple(...ALIASES.map(() => subset(PARTNERS, 1)))
  .map((sets) => ALIASES.map((alias, i) => ({ alias, partners: sets[i] ?? [] })));

const approvalArb: fc.Arbitrary<SharingRule["approval"]> = fc.oneof(
  fc.constant("auto" as const),
  fc.record({
    role: fc.constantFrom(...ROLES),
    count: fc.integer({ min: 1, max: 3 }),
    notRequester: fc.boolean(),
    expiresMs: fc.integer({ min: 1, max: 7 * 24 }).map((h) => h * HOUR),
  }),
);

const ruleArb: fc.Arbitrary<Omit<SharingRule, "name">> = fc
  .record({
    from: fc.constantFrom(...ALIASES),
    to: fc.constantFrom(...ALIASES),
    kinds: subset(SHAREABLE_KINDS, 1),
    maxTlp: fc.constantFrom(...TLP_LEVELS),
    approval: approvalArb,
    redact: subset(REDACT_FIELDS),
    positionPrecisionM: fc.option(fc.integer({ min: 100, max: 500_000 }), { nil: undefined }),
    forward: fc.boolean(),
  })
  .filter((r) => r.from !== r.to);

/** Few rules over few rooms, so that rules often meet on the same pair. */
const rulesArb: fc.Arbitrary<SharingRule[]> = fc
  .array(ruleArb, { maxLength: 6 })
  .map((rules) => rules.map((r, i) => ({ ...r, name: `rule-${i}` })));

const positionArb: fc.Arbitrary<Position> = fc.record({
  lat: fc.double({ min: -90, max: 90, noNaN: true }),
  lon: fc.double({ min: -180, max: 180, noNaN: true, maxExcluded: true }),
  precisionM: fc.integer({ min: 1, max: 100_000 }),
  format: fc.constant("decimal" as const),
});

/** Each value names its field and a number, so finding it in the JSON can only mean a leak. */
const tag = (field: string) => fc.nat().map((n) => `~${field}:${n}~`);

const itemArb: fc.Arbitrary<ShareableItem> = fc
  .record({
    kind: fc.constantFrom(...SHAREABLE_KINDS),
    // Mostly markings that may leave, and items without REL TO or a relay behind them, so that
    // enough cases get as far as a release for the promises about it to be tested.
    tlp: fc.oneof(
      { arbitrary: fc.constantFrom("clear" as const, "green" as const, "amber" as const), weight: 4 },
      { arbitrary: fc.constantFrom("amber+strict" as const, "red" as const), weight: 1 },
    ),
    rel: fc.option(subset(PARTNERS, 1), { nil: undefined, freq: 2 }),
    relayed: fc.option(fc.record({ fromRoom: fc.constantFrom(...ALIASES), ruleForward: fc.boolean() }), {
      nil: undefined,
      freq: 2,
    }),
    position: positionArb,
    reporter: tag("reporter"),
    remarks: fc.option(tag("remarks"), { nil: undefined }),
    name: fc.option(tag("name"), { nil: undefined }),
    mmsi: fc.option(tag("mmsi"), { nil: undefined }),
    imo: fc.option(tag("imo"), { nil: undefined }),
    tail: fc.option(tag("tail"), { nil: undefined }),
    plate: fc.option(tag("plate"), { nil: undefined }),
    course: fc.option(fc.integer({ min: 0, max: 359 }), { nil: undefined }),
    grading: fc.option(fc.constant({ reliability: "B" as const, credibility: 2 as const }), {
      nil: undefined,
    }),
  })
  .map((g): ShareableItem => {
    const marking = {
      ref: "S-1",
      tlp: g.tlp,
      ...(g.rel !== undefined && { rel: g.rel }),
      ...(g.relayed !== undefined && { relayed: g.relayed }),
    };
    if (g.kind === "rfi") {
      return {
        ...marking,
        kind: "rfi",
        rfi: { question: "q?", priority: "routine", originator: g.reporter, originatorPartner: "COL" },
      };
    }
    if (g.kind === "text") {
      return { ...marking, kind: "text", text: { text: "t", reporter: g.reporter, reporterPartner: "COL" } };
    }
    const ids = Object.fromEntries(
      Object.entries({ name: g.name, mmsi: g.mmsi, imo: g.imo, tail: g.tail, plate: g.plate }).filter(
        ([, v]) => v !== undefined,
      ),
    );
    return {
      ...marking,
      kind: "sighting",
      sighting: {
        kind: "vessel",
        position: g.position,
        seenAt: NOW,
        ids,
        ...(g.course !== undefined && { course: g.course }),
        ...(g.grading !== undefined && { grading: g.grading }),
        ...(g.remarks !== undefined && { remarks: g.remarks }),
        reporter: g.reporter,
        reporterPartner: "COL",
      },
    };
  });

const votesArb: fc.Arbitrary<ApprovalVote[]> = fc.array(
  fc.record({
    user: fc.constantFrom(...USERS),
    roles: subset(ROLES),
    at: fc.integer({ min: 0, max: 8 * 24 * 60 }).map((m) => new Date(NOW.getTime() + m * 60_000)),
  }),
  { maxLength: 8 },
);

const roomIndex = fc.nat(ALIASES.length - 1);

/** Half the time the item goes along one of the rules, so rules and route often meet. */
const caseArb = fc.record({ rooms: roomsArb, rules: rulesArb, item: itemArb, votes: votesArb }).chain((c) => {
  const along = c.rules.map((r) => fc.constant([ALIASES.indexOf(r.from), ALIASES.indexOf(r.to)] as const));
  const route =
    along.length === 0 ? fc.tuple(roomIndex, roomIndex) : fc.oneof(fc.tuple(roomIndex, roomIndex), ...along);
  return route.map(([origin, target]) => ({ ...c, origin, target }));
});

/** The values a field holds on an item, and whether its key is on the redacted copy. */
function leaks(
  item: ShareableItem,
  copy: RedactedItem,
  field: RedactField,
): { values: string[]; keyed: boolean } {
  if (item.kind === "rfi" && copy.kind === "rfi") {
    return field === "reporter"
      ? { values: [item.rfi.originator], keyed: "originator" in copy.rfi }
      : { values: [], keyed: false };
  }
  if (item.kind === "text" && copy.kind === "text") {
    return field === "reporter"
      ? { values: [item.text.reporter], keyed: "reporter" in copy.text }
      : { values: [], keyed: false };
  }
  if (item.kind !== "sighting" || copy.kind !== "sighting") throw new Error("the copy changed kind");
  const s = item.sighting;
  const c = copy.sighting;
  const present = (...values: (string | undefined)[]) => values.filter((v): v is string => v !== undefined);
  switch (field) {
    case "reporter":
      return { values: [s.reporter], keyed: "reporter" in c };
    case "remarks":
      return { values: present(s.remarks), keyed: "remarks" in c };
    case "name":
      return { values: present(s.ids.name), keyed: "name" in c.ids };
    case "identifiers":
      return {
        values: present(s.ids.mmsi, s.ids.imo, s.ids.tail, s.ids.plate),
        keyed: ["mmsi", "imo", "tail", "plate"].some((k) => k in c.ids),
      };
    case "position":
      return { values: [], keyed: "position" in c };
    case "course":
      return { values: [], keyed: "course" in c };
    case "speed":
      return { values: [], keyed: "speed" in c };
    case "grading":
      return { values: [], keyed: "grading" in c };
  }
}

describe("the tearline holds for any rules, item and approvals", () => {
  it("releases nothing a rule, a marking, REL TO, forwarding or the quorum forbids, and strips what every rule strips", () => {
    const reached = { released: 0, byQuorum: 0, onward: 0, coarsened: 0, redacted: 0, severalRules: 0 };
    fc.assert(
      fc.property(caseArb, ({ rooms, rules, item, votes, origin: o, target: t }) => {
        const origin = rooms[o] as RoomInfo;
        const target = rooms[t] as RoomInfo;
        const decision = evaluateRelay(rules, item, origin, target, NOW);
        const approved =
          decision.outcome === "relay" ||
          (decision.outcome === "pending" && quorum(decision.approval, REQUESTER, votes, NOW).met);
        if (!approved) return;
        reached.released++;
        if (decision.outcome === "pending") reached.byQuorum++;
        if (item.relayed !== undefined) reached.onward++;
        const applicable = rules.filter(
          (r) => r.from === origin.alias && r.to === target.alias && r.kinds.includes(item.kind),
        );
        if (applicable.length > 1) reached.severalRules++;
        // A rule from this room to that one lists the kind; no rule for it sets a lower ceiling.
        expect(applicable.length).toBeGreaterThan(0);
        for (const r of applicable) expect(tlpRank(item.tlp)).toBeLessThanOrEqual(tlpRank(r.maxTlp));
        expect(["red", "amber+strict"]).not.toContain(item.tlp);
        if (item.rel !== undefined) for (const p of target.partners) expect(item.rel).toContain(p);
        if (item.relayed !== undefined) {
          expect(item.relayed.ruleForward).toBe(true);
          expect(item.relayed.fromRoom).not.toBe(target.alias);
        }
        // Any rule asking for approval holds it back until distinct approvers, other than the
        // requester where any rule says so, with the role and in time, reach the largest count.
        const asking = applicable.flatMap((r) => (r.approval === "auto" ? [] : [r.approval]));
        if (asking.length > 0) {
          expect(decision.outcome).toBe("pending");
          if (decision.outcome !== "pending") return;
          const deadline = NOW.getTime() + Math.min(...asking.map((a) => a.expiresMs));
          const excludeRequester = asking.some((a) => a.notRequester);
          const approvers = new Set(
            votes
              .filter((v) => v.at.getTime() <= deadline && v.roles.includes(decision.approval.role))
              .filter((v) => !(excludeRequester && v.user === REQUESTER))
              .map((v) => v.user),
          );
          expect(approvers.size).toBeGreaterThanOrEqual(Math.max(...asking.map((a) => a.count)));
        }
        // What reaches the room has lost every field any applicable rule strips, key and value.
        const copy = redactForTarget(item, decision.rule);
        const json = JSON.stringify(copy);
        for (const field of new Set(applicable.flatMap((r) => r.redact))) {
          const { values, keyed } = leaks(item, copy, field);
          if (values.length > 0) reached.redacted++;
          expect(keyed, field).toBe(false);
          for (const value of values) expect(json).not.toContain(value);
        }
        // And its position is no finer than the coarsest precision any of them asks for.
        const precisions = applicable.flatMap((r) =>
          r.positionPrecisionM === undefined ? [] : [r.positionPrecisionM],
        );
        if (copy.kind === "sighting" && copy.sighting.position !== undefined && item.kind === "sighting") {
          const wanted = Math.max(item.sighting.position.precisionM, ...precisions);
          expect(copy.sighting.position.precisionM).toBeGreaterThanOrEqual(wanted);
          if (precisions.length > 0) {
            const cell = gridCell(
              item.sighting.position.lat,
              item.sighting.position.lon,
              Math.max(...precisions),
            );
            expect(copy.sighting.position).toMatchObject(cell.centre);
            reached.coarsened++;
          }
        }
      }),
      { numRuns: 10_000 },
    );
    // The generator must reach the interesting cases, or the property proves little.
    for (const count of Object.values(reached)) expect(count).toBeGreaterThan(20);
  });

  it("counts only distinct approvers holding the role, in time, and never the requester when excluded", () => {
    const pendingArb = fc.record({
      role: fc.constantFrom(...ROLES),
      count: fc.integer({ min: 1, max: 3 }),
      notRequester: fc.boolean(),
      expiresAt: fc.integer({ min: 0, max: 8 * 24 }).map((h) => new Date(NOW.getTime() + h * HOUR)),
    });
    const later = fc.integer({ min: 0, max: 10 * 24 }).map((h) => new Date(NOW.getTime() + h * HOUR));
    fc.assert(
      fc.property(pendingArb, votesArb, later, (approval, votes, now) => {
        const result = quorum(approval, REQUESTER, votes, now);
        expect(new Set(result.counted).size).toBe(result.counted.length);
        for (const user of result.counted) {
          if (approval.notRequester) expect(user).not.toBe(REQUESTER);
          const inTime = votes.filter(
            (v) => v.user === user && v.roles.includes(approval.role) && v.at <= approval.expiresAt,
          );
          expect(inTime.length).toBeGreaterThan(0);
        }
        expect(result.counted.length + result.ignored.length).toBe(votes.length);
        expect(result.met).toBe(result.counted.length >= approval.count);
        if (result.expired) expect(now.getTime()).toBeGreaterThan(approval.expiresAt.getTime());
      }),
      { numRuns: 5_000 },
    );
  });

  it("coarsens a position to the centre of its grid cell, no finer than asked, within the cell", () => {
    const sizeArb = fc.integer({ min: 50, max: 2_000_000 });
    const share = fc.double({ min: 0.01, max: 0.99, noNaN: true });
    const inside = fc.tuple(share, share);
    fc.assert(
      fc.property(positionArb, sizeArb, inside, (p, size, [u, v]) => {
        const cell = gridCell(p.lat, p.lon, size);
        const q = coarsenPosition(p, size);
        expect(q.precisionM).toBeGreaterThanOrEqual(Math.max(size, p.precisionM));
        expect({ lat: q.lat, lon: q.lon }).toEqual(cell.centre);
        expect(q.lat).toBeCloseTo((cell.south + cell.north) / 2, 9);
        expect(q.lon).toBeCloseTo((cell.west + cell.east) / 2, 9);
        // The original is in the cell, and the cell is no smaller than the size on any side.
        expect(p.lat).toBeGreaterThanOrEqual(cell.south - 1e-9);
        expect(p.lat).toBeLessThanOrEqual(cell.north + 1e-9);
        // Longitudes compare round the globe: 179.99999999999997° is on the antimeridian, in the cell east of it.
        const east = ((((p.lon - cell.west) % 360) + 360) % 360) % (360 - 1e-9);
        expect(east).toBeLessThanOrEqual(cell.east - cell.west + 1e-9);
        const heightM = distanceNm({ lat: cell.south, lon: 0 }, { lat: cell.north, lon: 0 }) * 1852;
        expect(heightM).toBeGreaterThanOrEqual(size * 0.999);
        const poleward = Math.max(Math.abs(cell.south), Math.abs(cell.north));
        const equatorward =
          cell.south < 0 && cell.north > 0 ? 0 : Math.min(Math.abs(cell.south), Math.abs(cell.north));
        const widthAt = (lat: number) => (cell.east - cell.west) * 111_120 * Math.cos((lat * Math.PI) / 180);
        if (cell.east - cell.west < 360) expect(widthAt(poleward)).toBeGreaterThanOrEqual(size * 0.999);
        // So it moved at most the cell's diagonal.
        expect(distanceNm(p, q) * 1852).toBeLessThanOrEqual(
          Math.hypot(heightM, widthAt(equatorward)) * 1.001 + 1,
        );
        // Anywhere else in the cell gives the same answer: the copy reveals the cell, nothing finer.
        const elsewhere = {
          ...p,
          lat: cell.south + u * (cell.north - cell.south),
          lon: cell.west + v * (cell.east - cell.west),
        };
        expect(coarsenPosition(elsewhere, size)).toMatchObject({ lat: q.lat, lon: q.lon });
      }),
      { numRuns: 5_000 },
    );
  });

  it("leaves no redacted value anywhere in the relayed event: body, HTML, org.tearline.alert", () => {
    fc.assert(
      fc.property(itemArb, ruleArb, (item, r) => {
        const rule: SharingRule = { ...r, name: "rule-0" };
        const copy = redactForTarget(item, rule);
        const message = copyMessage(
          copy,
          { alertRef: "A-1", origin: r.from, rule, approvers: ["CDR Miller"] },
          NOW,
        );
        const { body, formatted_body } = render(message, { lang: "en" });
        const alert = { ref: "A-1", room: r.from, sourceRef: "S-1", kind: item.kind };
        const event = JSON.stringify({
          body,
          formatted_body,
          ...copyContent(alert, copy, rule, ["@do:x.org"]),
        });
        for (const field of rule.redact)
          for (const value of leaks(item, copy, field).values) expect(event).not.toContain(value);
        if (
          copy.kind === "sighting" &&
          copy.sighting.position !== undefined &&
          rule.positionPrecisionM !== undefined
        )
          expect(copy.sighting.position.precisionM).toBeGreaterThanOrEqual(rule.positionPrecisionM);
      }),
      { numRuns: 3_000 },
    );
  });
});
