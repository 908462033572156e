/** !alert, !approve, !deny and !rules over the in-memory repositories: the contract's lines, exactly. */
import { describe, expect, it } from "vitest";
import alert from "../../../commands/alert.ts";
import approve from "../../../commands/approve.ts";
import { decideAlert, expireDue } from "../../../commands/approving.ts";
import type { ConfigFacts, SharingFacts } from "../../../commands/config.ts";
import deny from "../../../commands/deny.ts";
import digest from "../../../commands/digest.ts";
import rules from "../../../commands/rules.ts";
import sight from "../../../commands/sight.ts";
import sightings from "../../../commands/sightings.ts";
import type { CommandContext, Member, Reply } from "../../../commands/types.ts";
import type { Result } from "../../../src/domain/result.ts";
import { plain, render } from "../../../src/render/render.ts";
import { COL_USA, CONFIG, contextFor, error, send, text, USA_JTF, type World, world } from "./fakes.ts";

const COL_PAN = "!colpan:example.org";
const ROJAS = "@lo.col:example.org";
const MILLER = "@cdr.usa:example.org";
const SMITH = "@po.usa:example.org";
const COL_DO = "@do.col:example.org";
const OUTSIDER = "@do.jtf:example.org";
const ROSTER: Record<string, Member> = {
  [ROJAS]: { partner: "COL", roles: ["liaison", "approver"], name: "Lt. Rojas" },
  [MILLER]: { partner: "USA", roles: ["duty_officer", "approver"], name: "CDR Miller" },
  [SMITH]: { partner: "USA", roles: ["liaison"], name: "PO Smith" },
  [COL_DO]: { partner: "COL", roles: ["duty_officer", "approver"], name: "CC Duarte" },
  [OUTSIDER]: { partner: "JTF", roles: ["approver"], name: "Maj. Outsider" },
};
const DAY = 86_400_000;

function rule(over: Partial<SharingFacts> = {}): SharingFacts {
  return {
    name: "col-usa→usa-jtf",
    from: "col-usa",
    to: "usa-jtf",
    kinds: ["sighting", "rfi", "text"],
    maxTlp: "amber",
    approval: { role: "approver", count: 1, notRequester: true, expiresMs: DAY },
    redact: ["reporter", "remarks"],
    positionPrecisionM: 10_000,
    forward: false,
    ...over,
  };
}

const BASE: ConfigFacts = {
  ...CONFIG,
  rooms: { ...CONFIG.rooms, "col-pan": { roomId: COL_PAN, partners: ["COL", "PAN"] } },
  partners: { ...CONFIG.partners, PAN: "Panama" },
  sharing: [rule()],
};

function ctx(w: World, sender = ROJAS, roomId = COL_USA, config: ConfigFacts = BASE): CommandContext {
  return contextFor(w, sender, roomId, { member: ROSTER[sender], config, eventId: "$cmd" });
}

const SIGHT =
  '!sight vessel 12.51,-79.17 "SIN NOMBRE" time=280714ZNOV26 course=045 speed=32kt conf=B2 rel=USA,JTF,COL -- go-fast, 3 outboards';

async function sighted(w: World, config = BASE, line = SIGHT) {
  const r = await send(sight, line, ctx(w, ROJAS, COL_USA, config));
  if (!r.ok) throw new Error(plain(r.error.message));
}

function value(r: Result<Reply>): Reply {
  if (!r.ok) throw new Error(plain(r.error.message));
  return r.value;
}

describe("!alert", () => {
  it("lists each target: pending with who and until when and what is removed, refused with the reason", async () => {
    const w = world();
    await sighted(w);
    const r = await send(alert, "!alert S-1 to=usa-jtf,col-pan", ctx(w));
    expect(text(r)).toBe(
      [
        "A-1 for S-1:",
        '→ usa-jtf: needs 1 approval from an approver in col-usa (rule "col-usa→usa-jtf"), until 29 Nov 07:20Z: remarks and reporter removed, position coarsened to 10 km',
        "→ col-pan: not sent — no rule from col-usa to col-pan",
        "React ✅ to approve or ❌ to deny (approvers of col-usa), or !approve A-1 / !deny A-1 -- reason.",
      ].join("\n"),
    );
    expect(value(r)).toMatchObject({ replyRef: "alert:1:request", reaction: "✅" });
    expect(value(r).notices ?? []).toEqual([]);
    expect(w.alerts.rows[0]?.targets.map((t) => [t.room, t.outcome])).toEqual([
      ["usa-jtf", "pending"],
      ["col-pan", "refused"],
    ]);
    const actions = (value(r).audit ?? []).map((a) => a.action);
    expect(actions).toEqual(["alert.raised", "alert.decision", "alert.decision"]);
  });

  it.each([
    ["kind", { kinds: ["rfi"] }, SIGHT, 'rule "col-usa→usa-jtf" does not share sightings'],
    ["tlp", { maxTlp: "green" }, SIGHT, 'TLP:AMBER is above rule "col-usa→usa-jtf"\'s limit TLP:GREEN'],
    ["never leaves", {}, "!sight vessel 12.5,-79.2 tlp=red", "TLP:RED never leaves this room"],
    [
      "amber+strict",
      {},
      "!sight vessel 12.5,-79.2 tlp=amber+strict",
      "TLP:AMBER+STRICT never leaves this room",
    ],
    ["rel", {}, "!sight vessel 12.5,-79.2 rel=USA,COL", "REL TO USA, COL does not include JTF"],
  ] as const)("refuses with the reason line (%s), and reacts ❌", async (_n, over, line, reason) => {
    const w = world();
    const config = { ...BASE, sharing: [rule(over as Partial<SharingFacts>)] };
    await sighted(w, config, line);
    const r = await send(alert, "!alert S-1", ctx(w, ROJAS, COL_USA, config));
    expect(text(r)).toBe(`A-1 for S-1:\n→ usa-jtf: not sent — ${reason}`);
    expect(value(r).reaction).toBe("❌");
  });

  it("refuses to alert a received copy onward under a rule without forward", async () => {
    const w = world();
    const config = {
      ...BASE,
      sharing: [
        rule({ approval: "auto" }),
        rule({ name: "usa-jtf→col-pan", from: "usa-jtf", to: "col-pan", approval: "auto" }),
      ],
    };
    await sighted(w, config, '!sight vessel 12.51,-79.17 "SIN NOMBRE"');
    await send(alert, "!alert S-1", ctx(w, ROJAS, COL_USA, config));
    const r = await send(alert, "!alert S-2", ctx(w, MILLER, USA_JTF, config));
    expect(text(r)).toContain(
      '→ col-pan: not sent — a relayed copy may not be alerted onward (rule "usa-jtf→col-pan")',
    );
  });

  it("relays at once under an auto rule: the copy from the redacted item, a received row, ✅", async () => {
    const w = world();
    const config = { ...BASE, sharing: [rule({ approval: "auto" })] };
    await sighted(w, config);
    const r = value(await send(alert, "!alert S-1", ctx(w, ROJAS, COL_USA, config)));
    expect(plain(r.message)).toBe(
      'A-1 for S-1:\n→ usa-jtf: relayed (rule "col-usa→usa-jtf"): remarks and reporter removed, position coarsened to 10 km',
    );
    const [copy] = r.notices ?? [];
    expect(copy?.roomId).toBe(USA_JTF);
    expect(copy?.ref).toBe("alert:1:to:usa-jtf");
    expect(copy?.replyToRef).toBeUndefined();
    expect(plain(copy!.message)).toBe(
      [
        "⚠ ALERT A-1 · TLP:AMBER · REL TO USA, JTF, COL",
        'From col-usa (S-1): vessel "SIN NOMBRE" near 12.6°N 079.1°W (±10 km) · seen 28 Nov 07:14Z · course 045° · 32 kt · B2',
        'Relayed automatically (rule "col-usa→usa-jtf")',
      ].join("\n"),
    );
    const all = JSON.stringify({ ...render(copy!.message), ...copy!.content });
    for (const gone of ["go-fast", ROJAS, "12.51", "-79.17"]) expect(all).not.toContain(gone);
    expect(copy?.content?.["org.tearline.alert"]).toMatchObject({
      ref: "A-1",
      origin: { room: "col-usa", ref: "S-1" },
      kind: "sighting",
      tlp: "amber",
      rel: ["USA", "JTF", "COL"],
      approvers: [],
      rule: "col-usa→usa-jtf",
    });
    const received = w.sightings.rows[1];
    expect(received).toMatchObject({
      roomId: USA_JTF,
      reporter: "",
      remarks: undefined,
      received: { fromRoom: "col-usa", fromRef: "S-1", alertRef: "A-1" },
    });
    expect(text(await send(sightings, "!sightings", ctx(w, MILLER, USA_JTF, config)))).toContain(
      "S-2 (received A-1 from col-usa) · vessel \"SIN NOMBRE\" · 12°33.30'N 079°08.35'W · 28 Nov 07:14Z · COL · B2",
    );
  });

  it("a received sighting corroborates a later one in the target room", async () => {
    const w = world();
    const config = { ...BASE, sharing: [rule({ approval: "auto" })] };
    await sighted(w, config);
    await send(alert, "!alert S-1", ctx(w, ROJAS, COL_USA, config));
    const r = await send(
      sight,
      '!sight vessel 12.52,-79.18 "SIN NOMBRE" time=280730ZNOV26',
      ctx(w, SMITH, USA_JTF, config),
    );
    expect(text(r)).toContain("⚠ matches S-2");
  });

  it("sends a text alert and names it so", async () => {
    const w = world();
    const config = { ...BASE, sharing: [rule({ approval: "auto" })] };
    const r = value(
      await send(alert, "!alert tlp=green -- go-fast heading north", ctx(w, ROJAS, COL_USA, config)),
    );
    expect(plain(r.message).split("\n")[0]).toBe("A-1 (text alert):");
    expect(plain(r.notices![0]!.message).split("\n")[1]).toBe('From col-usa: "go-fast heading north"');
    expect(JSON.stringify(r.notices![0]!.content)).not.toContain(ROJAS);
  });

  it("refuses a sighting of another room, and a room without rules", async () => {
    const w = world();
    await sighted(w);
    expect(error(await send(alert, "!alert S-1", ctx(w, MILLER, USA_JTF)))).toBe(
      "S-1 is not a sighting of this room.",
    );
    expect(error(await send(alert, "!alert S-1 to=nowhere", ctx(w)))).toContain(
      '"nowhere" is not a configured room',
    );
  });
});

describe("approving", () => {
  async function pending(w: World, config = BASE) {
    await sighted(w, config);
    value(await send(alert, "!alert S-1 to=usa-jtf", ctx(w, ROJAS, COL_USA, config)));
  }

  it("relays on one approver's ✅: the copy names them, the request gets the reply", async () => {
    const w = world();
    await pending(w);
    const d = await decideAlert(ctx(w, MILLER), 1, "approve", "reaction");
    if (!d.ok) throw new Error(plain(d.error.message));
    expect(plain(d.value.message)).toBe("✅ A-1 approved by CDR Miller · relayed to usa-jtf");
    const [copy, said] = d.value.notices;
    expect(plain(copy!.message).split("\n")[2]).toBe("Approved by CDR Miller");
    expect(copy?.content?.["org.tearline.alert"]).toMatchObject({ approvers: [MILLER] });
    expect(said).toMatchObject({ roomId: COL_USA, replyToRef: "alert:1:request" });
    expect(w.alerts.rows[0]?.targets[0]?.outcome).toBe("relayed");
    expect(d.value.audit.map((a) => a.action)).toEqual(["alert.approval", "alert.relayed", "alert.approved"]);
  });

  it("ignores the requester under not_requester, and says why to !approve", async () => {
    const w = world();
    await pending(w);
    const r = value(await send(approve, "!approve A-1", ctx(w, ROJAS)));
    expect(plain(r.message)).toBe(
      '❌ A-1: you asked for it, and rule "col-usa→usa-jtf" needs someone else\'s approval',
    );
    expect(r.reaction).toBe("❌");
    expect(r.notices).toEqual([]);
    expect(w.alerts.rows[0]?.targets[0]?.outcome).toBe("pending");
    expect(r.audit?.map((a) => a.action)).toEqual(["alert.approval_ignored"]);
  });

  it("ignores someone without the role, and says what they have", async () => {
    const w = world();
    await pending(w);
    const r = value(await send(approve, "!approve A-1", ctx(w, SMITH)));
    expect(plain(r.message)).toBe("❌ A-1: needs the approver role in col-usa; you have: liaison");
    expect(w.alerts.rows[0]?.targets[0]?.outcome).toBe("pending");
  });

  it("ignores an approver of a partner not in the source room", async () => {
    const w = world();
    await pending(w);
    const r = value(
      await send(
        approve,
        "!approve A-1",
        contextFor(w, OUTSIDER, COL_USA, { member: ROSTER[OUTSIDER], config: BASE }),
      ),
    );
    expect(plain(r.message)).toContain(
      "only people of COL, USA, the partners of col-usa, can decide on it; you are with JTF",
    );
    expect(w.alerts.rows[0]?.targets[0]?.outcome).toBe("pending");
  });

  it("an ignored reaction is never counted later, even once its sender holds the role", async () => {
    const w = world();
    await pending(w, {
      ...BASE,
      sharing: [rule({ approval: { role: "approver", count: 2, notRequester: true, expiresMs: DAY } })],
    });
    const config = {
      ...BASE,
      sharing: [rule({ approval: { role: "approver", count: 2, notRequester: true, expiresMs: DAY } })],
    };
    await decideAlert(ctx(w, SMITH, COL_USA, config), 1, "approve", "reaction"); // ignored: no role
    const promoted = contextFor(w, SMITH, COL_USA, {
      member: { ...ROSTER[SMITH]!, roles: ["approver"] },
      config,
    });
    void promoted;
    const d = await decideAlert(ctx(w, MILLER, COL_USA, config), 1, "approve", "reaction");
    if (!d.ok) throw new Error(plain(d.error.message));
    expect(plain(d.value.message)).toBe(
      "✅ A-1: approval by CDR Miller counted · usa-jtf still needs 1 more",
    );
    expect(w.alerts.rows[0]?.targets[0]?.outcome).toBe("pending");
    expect(w.alerts.rows[0]?.approvals.map((a) => [a.user, a.decision])).toEqual([
      [SMITH, "ignored"],
      [MILLER, "approve"],
    ]);
  });

  it("counts distinct users only: a second ✅ from the same approver changes nothing", async () => {
    const w = world();
    const config = {
      ...BASE,
      sharing: [rule({ approval: { role: "approver", count: 2, notRequester: true, expiresMs: DAY } })],
    };
    await pending(w, config);
    await decideAlert(ctx(w, MILLER, COL_USA, config), 1, "approve", "reaction");
    const again = await decideAlert(ctx(w, MILLER, COL_USA, config), 1, "approve", "command");
    if (!again.ok) throw new Error(plain(again.error.message));
    expect(plain(again.value.message)).toContain("you already decided on it (approve)");
    expect(w.alerts.rows[0]?.targets[0]?.outcome).toBe("pending");
    const third = await decideAlert(ctx(w, COL_DO, COL_USA, config), 1, "approve", "reaction");
    if (!third.ok) throw new Error(plain(third.error.message));
    expect(plain(third.value.message)).toBe("✅ A-1 approved by CDR Miller, CC Duarte · relayed to usa-jtf");
  });

  it("denies on one qualified ❌, with the reason, and never relays after", async () => {
    const w = world();
    await pending(w);
    const r = value(await send(deny, "!deny A-1 -- not for JTF", ctx(w, MILLER)));
    expect(plain(r.message)).toBe('❌ A-1 denied by CDR Miller: "not for JTF"');
    expect(r.notices?.[0]).toMatchObject({ replyToRef: "alert:1:request" });
    expect(w.alerts.rows[0]?.targets[0]?.outcome).toBe("denied");
    const later = await decideAlert(ctx(w, COL_DO), 1, "approve", "reaction");
    if (!later.ok) throw new Error(plain(later.error.message));
    expect(later.value.notices).toEqual([]);
    expect(plain(later.value.message)).toBe("❌ A-1 is not waiting for a decision: usa-jtf denied");
  });

  it("expires a pending target past its time, and a late ✅ does not relay", async () => {
    const w = world();
    await pending(w);
    w.now = new Date(+w.now + DAY + 60_000);
    const d = await decideAlert(ctx(w, MILLER), 1, "approve", "reaction");
    if (!d.ok) throw new Error(plain(d.error.message));
    expect(d.value.notices.map((n) => plain(n.message))).toEqual([
      "⏰ A-1 expired without approval: not sent to usa-jtf",
    ]);
    expect(d.value.notices[0]?.replyToRef).toBe("alert:1:request");
    expect(w.alerts.rows[0]?.targets[0]?.outcome).toBe("expired");
  });

  it("the expiry pass expires only what is past its time", async () => {
    const w = world();
    await pending(w);
    const alertNow = (await w.alerts.get(1))!;
    expect(
      (await expireDue({ repos: ctx(w).repos, now: w.now, sender: "tearline" }, alertNow)).audit,
    ).toEqual([]);
    const late = await expireDue(
      { repos: ctx(w).repos, now: new Date(+w.now + DAY + 1), sender: "tearline" },
      alertNow,
    );
    expect(late.audit.map((a) => a.action)).toEqual(["alert.expired"]);
  });
});

describe("!rules", () => {
  it("lists the rules from and into this room", async () => {
    const w = world();
    expect(text(await send(rules, "!rules", ctx(w)))).toBe(
      "Sharing rules from and into col-usa:\ncol-usa→usa-jtf: sighting, rfi, text · up to TLP:AMBER · 1 × approver (not the requester), expires after 1 d · removes reporter, remarks · positions to 10 km · not alerted onward",
    );
  });

  it("dry-runs a sighting: what goes where, nothing sent", async () => {
    const w = world();
    await sighted(w);
    const r = value(await send(rules, "!rules S-1", ctx(w)));
    expect(plain(r.message)).toBe(
      [
        "Dry run for S-1, nothing is sent:",
        '→ usa-jtf: would need 1 approval from an approver in col-usa (rule "col-usa→usa-jtf"): goes: kind, name, position (coarsened to 10 km), time, course, speed, grading; removed: reporter, remarks',
        "→ col-pan: would not go — no rule from col-usa to col-pan",
      ].join("\n"),
    );
    expect(r.notices).toBeUndefined();
    expect(w.alerts.rows).toEqual([]);
  });
});

describe("recall and correction", () => {
  const AUTO = { ...BASE, sharing: [rule({ approval: "auto" })] };
  const original = (w: World) => ({
    eventId: "$sight",
    command: "sight",
    ref: "S-1",
    roomId: COL_USA,
    sender: ROJAS,
    sentAt: w.now,
  });

  it("deleting the source replies a recall to each copy, retracts the received row, and stops pending targets", async () => {
    const w = world();
    const config = {
      ...AUTO,
      sharing: [
        rule({ approval: "auto" }),
        rule({ name: "col-usa→col-pan", to: "col-pan", rel: undefined } as Partial<SharingFacts>),
      ],
    };
    await sighted(w, config, '!sight vessel 12.51,-79.17 "SIN NOMBRE"');
    value(await send(alert, "!alert S-1", ctx(w, ROJAS, COL_USA, config)));
    const r = value(await sight.retract!(ctx(w, ROJAS, COL_USA, config), original(w)));
    expect(plain(r.message).split("\n").slice(1)).toEqual([
      "⚠ A-1 recalled from usa-jtf",
      "A-1 withdrawn before it was sent to col-pan",
    ]);
    expect(r.notices).toHaveLength(1);
    expect(plain(r.notices![0]!.message)).toBe(
      "⚠ RECALL A-1: S-1 was withdrawn in col-usa; disregard this alert.",
    );
    expect(r.notices![0]).toMatchObject({
      roomId: USA_JTF,
      ref: "alert:1:to:usa-jtf:recall",
      replyToRef: "alert:1:to:usa-jtf",
    });
    expect(w.sightings.rows[1]?.retractedAt).toEqual(w.now);
    expect(w.alerts.rows[0]?.targets.map((t) => t.outcome)).toEqual(["recalled", "recalled"]);
    expect(r.audit?.map((a) => a.action)).toContain("alert.recalled");
    // Approving the stopped target afterwards relays nothing.
    const late = await decideAlert(ctx(w, MILLER, COL_USA, config), 1, "approve", "reaction");
    expect(late.ok && late.value.notices).toEqual([]);
  });

  it("!retract recalls too", async () => {
    const w = world();
    await sighted(w, AUTO, '!sight vessel 12.51,-79.17 "SIN NOMBRE"');
    await send(alert, "!alert S-1", ctx(w, ROJAS, COL_USA, AUTO));
    const retract = (await import("../../../commands/retract.ts")).default;
    const r = value(await send(retract, "!retract S-1", ctx(w, ROJAS, COL_USA, AUTO)));
    expect(r.notices?.map((n) => n.replyToRef)).toEqual(["alert:1:to:usa-jtf"]);
  });

  it("an edit that still may go sends a correction as a reply to the copy, redacted the same way", async () => {
    const w = world();
    await sighted(w, AUTO, '!sight vessel 12.51,-79.17 "SIN NOMBRE" -- secret remark');
    await send(alert, "!alert S-1", ctx(w, ROJAS, COL_USA, AUTO));
    const { editTo } = await import("./fakes.ts");
    const r = value(
      await editTo(
        sight,
        '!sight vessel 12.61,-79.17 "SIN NOMBRE" course=090 -- another secret',
        ctx(w, ROJAS, COL_USA, AUTO),
        original(w),
      ),
    );
    const [correction] = r.notices ?? [];
    expect(correction).toMatchObject({ roomId: USA_JTF, replyToRef: "alert:1:to:usa-jtf" });
    expect(plain(correction!.message).split("\n")[0]).toBe("⚠ CORRECTION A-1 · TLP:AMBER");
    expect(plain(correction!.message)).toContain("course 090°");
    expect(JSON.stringify(correction)).not.toContain("secret");
    expect(w.sightings.rows[1]?.course).toBe(90);
    expect(plain(r.message)).toContain("A-1: correction sent to usa-jtf");
  });

  it("an edit that may no longer go becomes a recall", async () => {
    const w = world();
    await sighted(w, AUTO, '!sight vessel 12.51,-79.17 "SIN NOMBRE"');
    await send(alert, "!alert S-1", ctx(w, ROJAS, COL_USA, AUTO));
    const { editTo } = await import("./fakes.ts");
    const r = value(
      await editTo(
        sight,
        '!sight vessel 12.51,-79.17 "SIN NOMBRE" tlp=red',
        ctx(w, ROJAS, COL_USA, AUTO),
        original(w),
      ),
    );
    expect(r.notices?.map((n) => plain(n.message))).toEqual([
      "⚠ RECALL A-1: S-1 was corrected in col-usa and may no longer be shared here; disregard this alert.",
    ]);
    expect(r.notices?.[0]?.replyToRef).toBe("alert:1:to:usa-jtf");
    expect(w.sightings.rows[1]?.retractedAt).toEqual(w.now);
    expect(r.audit?.map((a) => a.action)).toEqual([
      "sighting.corrected",
      "alert.corrected",
      "alert.recalled",
    ]);
  });
});

describe("the digests of the rooms an alert touches", () => {
  it("shows a relayed copy only as relayed: its origin and alert, the coarsened position, no redacted field", async () => {
    const w = world();
    const config = { ...BASE, sharing: [rule({ approval: "auto" })] };
    await sighted(w, config);
    value(await send(alert, "!alert S-1", ctx(w, ROJAS, COL_USA, config)));
    const copy = w.sightings.rows[1]!;
    w.now = new Date(+w.now + 60_000); // periods are half-open: the relay's minute is in the next one
    const r = value(await send(digest, "!digest now", ctx(w, MILLER, USA_JTF, config)));
    const body = plain(r.message).split("\n");
    expect(body).toContain('  S-2 vessel "SIN NOMBRE" 12.6N 079.1W 0714Z B2 ⇐ from col-usa (A-1)');
    expect(body).toContain("Shared: 0 alerts out · 1 received");
    expect(r.attachments?.map((a) => "sightings" in a && a.sightings)).toEqual([
      [{ ref: "S-2", kind: "vessel", lat: copy.position.lat, lon: copy.position.lon }],
    ]);
    const all = JSON.stringify({ ...render(r.message), attachments: r.attachments });
    for (const gone of ["go-fast", "outboards", ROJAS, "12.51", "-79.17", "S-1 "])
      expect(all).not.toContain(gone);
    // The source room counts it as sent and approved, and shows its own S-1, not the copy.
    const source = plain(value(await send(digest, "!digest now", ctx(w))).message).split("\n");
    expect(source).toContain("Shared: 1 alerts out (1 approved) · 0 received");
    expect(source.join("\n")).not.toContain("S-2");
  });

  it("counts a pending alert and names it awaiting approval, with its local time", async () => {
    const w = world();
    await sighted(w);
    value(await send(alert, "!alert S-1 to=usa-jtf,col-pan", ctx(w)));
    w.now = new Date(+w.now + 60_000);
    const body = plain(value(await send(digest, "!digest now", ctx(w))).message, {
      lang: "en",
      timeZone: "America/Bogota",
    }).split("\n");
    expect(body).toContain("Shared: 1 alerts out (1 pending) · 0 received");
    expect(body).toContain("Awaiting approval: A-1 (since 02:20)");
    const target = plain(value(await send(digest, "!digest now", ctx(w, MILLER, USA_JTF))).message);
    expect(target).toContain("Shared: 0 alerts out · 0 received");
    expect(target).not.toContain("S-");
  });
});
