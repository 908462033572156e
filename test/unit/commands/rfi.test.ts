import { describeError } from "../../../src/render/errors.ts";
import { describe, expect, it } from "vitest";
import type { ConfigFacts } from "../../../commands/config.ts";
import rfi from "../../../commands/rfi.ts";
import type { CommandContext } from "../../../commands/types.ts";
import { configFacts } from "../../../src/bot/configDirectory.ts";
import { TearlineConfigSchema } from "../../../src/config/schema.ts";
import {
  COL_USA,
  COMMANDER,
  CONFIG,
  contextFor,
  editTo,
  error,
  MILLER,
  OTHER_ROOM,
  ROJAS,
  recordOf,
  refusalAudit,
  SMITH,
  sharingRule,
  send,
  text,
  USA_JTF,
  type World,
  world,
} from "./fakes.ts";
import { plain } from "../../../src/render/render.ts";

const ASK = '!rfi ask priority=immediate ltiov=281000ZNOV26 to=USA -- last known position of "SIN NOMBRE"?';
const at0714 = () => world(new Date("2026-11-28T07:14:00Z"));

async function asked(w = at0714(), command = ASK) {
  const ctx = contextFor(w);
  const reply = await send(rfi, command, ctx);
  return { w, ctx, reply };
}

describe("!rfi ask", () => {
  it("raises the scenario's RFI and says for whom, how urgent and by when", async () => {
    const { w, reply } = await asked();
    expect(text(reply)).toBe(
      "✅ RFI-1 raised for USA · IMMEDIATE · answer needed by 28 Nov 10:00Z (in 2 h 46 m)",
    );
    expect(w.rfis.rows[0]).toMatchObject({
      originator: ROJAS,
      originatorPartner: "COL",
      priority: "immediate",
      ltiov: new Date("2026-11-28T10:00:00Z"),
      to: { partner: "USA" },
      question: 'last known position of "SIN NOMBRE"?',
      status: "open",
    });
    expect(reply.ok && reply.value.record).toEqual({ ref: "RFI-1" });
    expect(reply.ok && reply.value.audit?.[0]).toMatchObject({
      action: "rfi.raised",
      detail: { ref: "RFI-1" },
    });
  });

  it("can be addressed to a configured room by its Matrix room ID, of any room version", async () => {
    for (const roomId of [USA_JTF, "!usajtf:example.org"]) {
      const config: ConfigFacts = {
        ...CONFIG,
        rooms: { ...CONFIG.rooms, "usa-jtf": { roomId, partners: ["USA", "JTF"] } },
      };
      const w = at0714();
      const reply = await send(
        rfi,
        `!rfi ask to=${roomId} -- anything on HK-4F2?`,
        contextFor(w, ROJAS, COL_USA, { config }),
      );
      expect(reply.ok).toBe(true);
      expect(w.rfis.rows[0]).toMatchObject({ to: { room: "usa-jtf" }, toRoomId: roomId });
    }
    const unknown = "!AAAATSAuGHXMzVpV_GfT6s46fHw7fH-dbw7-A-nnv6o";
    expect(error(await send(rfi, `!rfi ask to=${unknown} -- q?`, contextFor(at0714())))).toContain(
      `"${unknown}" is not one of the configured rooms; name a partner or a room. Rooms: col-usa, usa-jtf.`,
    );
  });

  it("is routine without a deadline by default, and addressed to the room's other partner", async () => {
    const { reply, w } = await asked(at0714(), "!rfi ask -- any AIS on MMSI 367123450?");
    expect(text(reply)).toBe("✅ RFI-1 raised for USA · ROUTINE · no deadline");
    expect(w.rfis.rows[0]?.to).toEqual({ partner: "USA" });
  });

  it("can be addressed to a room, whose partners then answer", async () => {
    const { reply, w } = await asked(at0714(), "!rfi ask to=usa-jtf -- anything on HK-4F2?");
    expect(text(reply)).toBe(
      [
        "✅ RFI-1 raised for usa-jtf · ROUTINE · no deadline",
        "A-1 for RFI-1:",
        '→ usa-jtf: relayed (rule "col-usa→usa-jtf")',
      ].join("\n"),
    );
    expect(w.rfis.rows[0]).toMatchObject({
      to: { room: "usa-jtf", partners: ["USA", "JTF"] },
      toRoomId: USA_JTF,
    });
    expect(reply.ok && reply.value.audit?.[0]?.detail).toMatchObject({
      sharing: { from: "col-usa", to: "usa-jtf" },
    });
    expect(text(await send(rfi, "!rfi list", contextFor(w, SMITH, USA_JTF)))).toContain("RFI-1");
  });

  it.each([
    ["!rfi ask to=USA", "The question is missing: write it after --."],
    [
      "!rfi ask priority=flash to=USA -- q",
      '"flash" is not an RFI priority. Priorities: routine, priority, immediate.',
    ],
    [
      "!rfi ask ltiov=280600ZNOV26 to=USA -- q",
      "LTIOV 280600ZNOV26 has already passed (it is now 280714ZNOV26)",
    ],
    [
      "!rfi ask to=GBR -- q",
      '"GBR" is neither a partner nor a room. Partners: COL, USA, JTF. Rooms: col-usa, usa-jtf.',
    ],
    ["!rfi ask to=USA due=now -- q", '"due=" is not an option of !rfi ask'],
    ["!rfi", "say what to do: ask, accept, defer, refer, deny, answer, close, list."],
    [
      "!rfi asc -- q",
      'is not something to do with an RFI. Actions: ask, accept, defer, refer, deny, answer, close, list. Did you mean "ask"?',
    ],
  ])("refuses %j and raises nothing", async (command, message) => {
    const { w, reply } = await asked(at0714(), command);
    expect(error(reply)).toContain(message);
    expect(w.rfis.rows).toHaveLength(0);
  });

  it("needs to= where the room has no single other partner", async () => {
    const w = at0714();
    const reply = await send(rfi, "!rfi ask -- q?", contextFor(w, ROJAS, OTHER_ROOM));
    expect(error(reply)).toBe("say who should answer with to=: a partner code or a room.");
  });

  it("is not for people without a liaison, duty officer or commander role", async () => {
    const w = at0714();
    expect(text(await send(rfi, "!rfi ask to=USA -- q?", contextFor(w, COMMANDER)))).toContain(
      "RFI-1 raised",
    );
    const ctx = contextFor(w, SMITH, COL_USA, { member: { partner: "USA", roles: ["approver"] } });
    expect(error(await send(rfi, "!rfi ask to=COL -- q?", ctx))).toBe(
      "raising an RFI needs one of these roles: liaison, duty_officer, commander.",
    );
  });
});

describe("answering and the other dispositions", () => {
  it("is answered by the addressee's people, and the originator is told in the originating room", async () => {
    const { w } = await asked();
    const reply = await send(
      rfi,
      "!rfi answer RFI-1 -- AIS dark since 0600Z; P-8 contact at 12.9N 078.6W 0742Z",
      contextFor(w, SMITH),
    );
    expect(text(reply)).toBe(
      [
        `✅ RFI-1 answered by PO Smith (USA) · ${ROJAS} notified`,
        'Q: "last known position of "SIN NOMBRE"?"',
        'A: "AIS dark since 0600Z; P-8 contact at 12.9N 078.6W 0742Z"',
      ].join("\n"),
    );
    expect(reply.ok && reply.value.mentions).toEqual([ROJAS]);
    expect(reply.ok && reply.value.notices).toEqual([]);
    expect(w.rfis.rows[0]).toMatchObject({
      status: "answered",
      answer: expect.stringContaining("AIS dark"),
      answeredBy: SMITH,
    });
    expect(reply.ok && reply.value.audit?.[0]).toMatchObject({
      action: "rfi.answered",
      detail: { ref: "RFI-1", from: "open", to: "answered" },
    });
  });

  it("is answered by a duty officer of any partner", async () => {
    const { w } = await asked();
    expect(text(await send(rfi, "!rfi answer RFI-1 -- none", contextFor(w, MILLER)))).toMatch(
      /^✅ RFI-1 answered by CDR Miller \(JTF\)/,
    );
  });

  it("refuses an answer from someone who is neither the addressee nor a duty officer", async () => {
    const { w } = await asked();
    const reply = await send(rfi, "!rfi answer RFI-1 -- mine", contextFor(w, ROJAS));
    expect(error(reply)).toBe(
      "RFI-1 is for USA: only USA or a duty officer can answer it (you are with COL).",
    );
    expect(w.rfis.rows[0]?.status).toBe("open");
    expect(refusalAudit(reply)).toEqual([
      {
        actor: ROJAS,
        action: "command.refused",
        roomId: COL_USA,
        detail: {
          command: "rfi",
          action: "answer",
          ref: "RFI-1",
          partner: "COL",
          why: "not the addressee",
          addressee: "USA",
        },
      },
    ]);
  });

  it("goes through accept, defer and refer with reasons, telling the originator each time", async () => {
    const { w } = await asked();
    const usa = contextFor(w, SMITH);
    expect(text(await send(rfi, "!rfi accept RFI-1", usa))).toBe(
      `✅ RFI-1 accepted by PO Smith (USA) · ${ROJAS} notified`,
    );
    expect(text(await send(rfi, "!rfi defer RFI-1 -- P-8 airborne at 0900Z", usa))).toBe(
      `✅ RFI-1 deferred by PO Smith (USA) · ${ROJAS} notified\nReason: "P-8 airborne at 0900Z"`,
    );
    expect(text(await send(rfi, "!rfi refer rfi-1 to=JTF -- JTF has the track", usa))).toBe(
      `✅ RFI-1 referred to JTF by PO Smith (USA) · ${ROJAS} notified\nReason: "JTF has the track"`,
    );
    expect(error(await send(rfi, "!rfi answer RFI-1 -- x", usa))).toContain("only JTF or a duty officer");
    expect(w.rfis.rows[0]).toMatchObject({
      status: "referred",
      to: { partner: "JTF" },
      reason: "JTF has the track",
    });
  });

  it("can be denied, and is then no longer answerable", async () => {
    const { w } = await asked();
    const usa = contextFor(w, SMITH);
    expect(text(await send(rfi, "!rfi deny RFI-1 -- outside our area", usa))).toContain(
      "RFI-1 denied by PO Smith (USA)",
    );
    expect(error(await send(rfi, "!rfi answer RFI-1 -- late", usa))).toBe(
      "RFI-1 is denied, so it can't be answered.",
    );
  });

  it("is closed by its originator (or a duty officer), not by others", async () => {
    const { w } = await asked();
    await send(rfi, "!rfi answer RFI-1 -- AIS dark", contextFor(w, SMITH));
    expect(error(await send(rfi, "!rfi accept RFI-1", contextFor(w, SMITH)))).toBe(
      "RFI-1 is answered, so it can't be accepted. Its originator can close it.",
    );
    const refused = await send(rfi, "!rfi close RFI-1", contextFor(w, SMITH));
    expect(error(refused)).toBe(`only its originator (${ROJAS}) or a duty officer can close RFI-1.`);
    expect(refusalAudit(refused)[0]).toMatchObject({
      actor: SMITH,
      action: "command.refused",
      detail: { command: "rfi", action: "close", ref: "RFI-1", why: "not the originator" },
    });
    expect(text(await send(rfi, "!rfi close RFI-1 -- thanks", contextFor(w, ROJAS)))).toBe(
      '✅ RFI-1 closed by Lt. Rojas (COL)\nReason: "thanks"',
    );
    expect(error(await send(rfi, "!rfi close RFI-1", contextFor(w, ROJAS)))).toBe(
      "RFI-1 is closed, so it can't be closed.",
    );
  });

  it("can be acted on from the room it is addressed to, and the originating room is told", async () => {
    const { w } = await asked(at0714(), "!rfi ask to=usa-jtf -- anything on HK-4F2?");
    const reply = await send(rfi, "!rfi answer RFI-1 -- nothing since 0400Z", contextFor(w, SMITH, USA_JTF));
    const notices = reply.ok ? (reply.value.notices ?? []) : [];
    expect(notices.map((n) => ({ ...n, message: plain(n.message) }))).toEqual([
      {
        roomId: COL_USA,
        message: expect.stringContaining(`RFI-1 answered by PO Smith (USA) · ${ROJAS} notified`),
        mentions: [ROJAS],
      },
    ]);
    expect(notices[0]?.message).toMatchObject({ id: "rfi.answered", params: { ref: { ref: "RFI-1" } } });
  });

  it("is invisible from rooms it was neither raised in nor addressed to", async () => {
    const { w } = await asked();
    expect(error(await send(rfi, "!rfi answer RFI-1 -- x", contextFor(w, SMITH, OTHER_ROOM)))).toBe(
      "there is no RFI-1 in this room.",
    );
  });

  it.each([
    ["!rfi answer RFI-1", "The answer is missing: write it after --."],
    ["!rfi accept", 'which RFI? Give its reference after "accept".'],
    ["!rfi accept S-12", '"S-12" is not a reference like RFI-12.'],
    ["!rfi refer RFI-1 -- x", "refer needs to=: the partner or room to refer it to."],
    ["!rfi accept RFI-1 soon", '"soon" is not understood: put text after --.'],
  ])("refuses %j", async (command, message) => {
    const { w } = await asked();
    expect(error(await send(rfi, command, contextFor(w, SMITH)))).toBe(message);
  });
});

describe("!rfi list", () => {
  async function three() {
    const w = at0714();
    await send(rfi, "!rfi ask ltiov=280800ZNOV26 to=USA -- first?", contextFor(w));
    await send(
      rfi,
      "!rfi ask to=USA priority=p -- second?",
      contextFor(w, SMITH, COL_USA, { member: { partner: "USA", roles: ["liaison"] } }),
    );
    await send(rfi, "!rfi ask to=USA -- third?", contextFor(w));
    await send(rfi, "!rfi answer RFI-3 -- yes", contextFor(w, SMITH));
    w.now = new Date("2026-11-28T09:00:00Z");
    return w;
  }

  it("shows the open RFIs by default, with the overdue one marked", async () => {
    const w = await three();
    expect(text(await send(rfi, "!rfi list", contextFor(w)))).toBe(
      [
        "2 RFIs awaiting an answer in this room, newest first:",
        'RFI-2 · PRIORITY · for USA · open · no deadline · "second?"',
        'RFI-1 · ROUTINE · for USA · open · ⏰ OVERDUE since 28 Nov 08:00Z (1 h) · "first?"',
      ].join("\n"),
    );
  });

  it("shows only overdue, only mine, or all", async () => {
    const w = await three();
    const refs = async (command: string) =>
      text(await send(rfi, command, contextFor(w)))
        .split("\n")
        .slice(1)
        .map((l) => l.split(" · ")[0]);
    expect(await refs("!rfi list overdue")).toEqual(["RFI-1"]);
    expect(await refs("!rfi list mine")).toEqual(["RFI-3", "RFI-1"]);
    expect(await refs("!rfi list all")).toEqual(["RFI-3", "RFI-2", "RFI-1"]);
    expect(text(await send(rfi, "!rfi list", contextFor(w, SMITH, OTHER_ROOM)))).toBe(
      "No RFIs awaiting an answer in this room.",
    );
    expect(error(await send(rfi, "!rfi list closed", contextFor(w)))).toBe(
      '"closed" is not a list: use open, mine, overdue, all.',
    );
  });
});

describe("editing and deleting the !rfi ask message", () => {
  it("corrects the RFI and says so", async () => {
    const { w, ctx, reply } = await asked();
    const edited = await editTo(
      rfi,
      "!rfi ask priority=priority to=JTF -- last known position of SIN NOMBRE?",
      ctx,
      recordOf(reply, "rfi", ctx),
    );
    expect(text(edited)).toBe(
      '✅ RFI-1 corrected · for JTF · PRIORITY · no deadline\nQ: "last known position of SIN NOMBRE?"',
    );
    expect(w.rfis.rows[0]).toMatchObject({ priority: "priority", to: { partner: "JTF" }, ltiov: undefined });
  });

  it("refuses to turn the ask into another action", async () => {
    const { ctx, reply } = await asked();
    expect(error(await editTo(rfi, "!rfi list", ctx, recordOf(reply, "rfi", ctx)))).toBe(
      "RFI-1 was raised with !rfi ask; an edit can only change the ask.",
    );
  });

  it("withdraws the RFI when the message is deleted", async () => {
    const { w, ctx, reply } = await asked();
    expect(text(await rfi.retract!(ctx, recordOf(reply, "rfi", ctx)))).toBe(
      "✅ RFI-1 withdrawn: its message was deleted. It no longer needs an answer; the audit log keeps it.",
    );
    expect(w.rfis.rows[0]?.status).toBe("withdrawn");
  });
});

/** The fakes' two rooms, and col-pan, which no sharing rule reaches. */
const COL_PAN = "!colpan:example.org";
const WITH_PAN: ConfigFacts = {
  ...CONFIG,
  partners: { ...CONFIG.partners, PAN: "Panamanian Navy" },
  rooms: { ...CONFIG.rooms, "col-pan": { roomId: COL_PAN, partners: ["COL", "PAN"] } },
};
const USA_DO = "@do.usa:example.org";

function inPan(w: World, sender: string, roomId: string, over: Partial<CommandContext> = {}) {
  const roomAlias = Object.entries(WITH_PAN.rooms).find(([, r]) => r.roomId === roomId)?.[0];
  const member =
    sender === USA_DO ? { partner: "USA", roles: ["duty_officer"], name: "LT Jones" } : undefined;
  return contextFor(w, sender, roomId, { config: WITH_PAN, roomAlias, ...(member && { member }), ...over });
}

describe("RFIs and the sharing rules (deny by default)", () => {
  it("refuses to address a room no sharing rule from this room reaches, and raises nothing", async () => {
    const w = at0714();
    const reply = await send(rfi, "!rfi ask to=col-pan -- anything on HK-4F2?", inPan(w, ROJAS, COL_USA));
    expect(error(reply)).toBe(
      "This RFI can't go to col-pan: no sharing rule from col-usa to col-pan allows RFIs. Ask the operator, or address a partner (to=USA).",
    );
    expect(w.rfis.rows).toHaveLength(0);
    expect(refusalAudit(reply)).toEqual([
      {
        actor: ROJAS,
        action: "command.refused",
        roomId: COL_USA,
        detail: {
          command: "rfi",
          action: "ask",
          why: "no sharing rule",
          kind: "rfi",
          from: "col-usa",
          to: "col-pan",
        },
      },
    ]);
  });

  it("reads a rule one way only: col-usa → usa-jtf does not let usa-jtf address col-usa", async () => {
    const w = at0714();
    expect(error(await send(rfi, "!rfi ask to=col-usa -- q?", contextFor(w, SMITH, USA_JTF)))).toBe(
      "This RFI can't go to col-usa: no sharing rule from usa-jtf to col-usa allows RFIs. Ask the operator, or address a partner (to=JTF).",
    );
    expect(w.rfis.rows).toHaveLength(0);
  });

  it("needs a rule whose kinds include rfi", async () => {
    const w = at0714();
    const config = {
      ...WITH_PAN,
      sharing: [sharingRule("col-usa", "col-pan", ["sighting", "text"])],
    };
    const reply = await send(rfi, "!rfi ask to=col-pan -- q?", inPan(w, ROJAS, COL_USA, { config }));
    expect(error(reply)).toContain("no sharing rule from col-usa to col-pan allows RFIs");
    expect(w.rfis.rows).toHaveLength(0);
  });

  it("refuses a room addressee from a room that is not configured", async () => {
    const w = at0714();
    expect(error(await send(rfi, "!rfi ask to=usa-jtf -- q?", contextFor(w, ROJAS, OTHER_ROOM)))).toBe(
      "This RFI can't go to usa-jtf: its room is not in tearline.yaml, so no sharing rule covers it. Ask the operator, or address a partner with to=.",
    );
    expect(w.rfis.rows).toHaveLength(0);
  });

  it("lets an RFI be addressed to its own room without a rule, and to partners as before", async () => {
    const w = at0714();
    expect(text(await send(rfi, "!rfi ask to=col-usa -- q?", contextFor(w)))).toBe(
      "✅ RFI-1 raised for col-usa · ROUTINE · no deadline",
    );
    expect(w.rfis.rows[0]?.toRoomId).toBe(COL_USA);
    expect(text(await send(rfi, "!rfi ask to=PAN -- q?", inPan(w, ROJAS, COL_USA)))).toBe(
      "✅ RFI-2 raised for PAN · ROUTINE · no deadline",
    );
    expect(w.rfis.rows[1]?.toRoomId).toBeUndefined();
  });

  it("goes to another room as an alert: the reply is its approval request", async () => {
    const w = at0714();
    const reply = await send(rfi, "!rfi ask ltiov=281000ZNOV26 to=usa-jtf -- q?", contextFor(w));
    expect(text(reply)).toContain("A-1 for RFI-1:\n→ usa-jtf: relayed");
    expect(reply.ok && reply.value.replyRef).toBe("alert:1:request");
    const copy = reply.ok ? reply.value.notices?.[0] : undefined;
    expect(copy?.roomId).toBe(USA_JTF);
  });

  it("under a rule with approval, stays out of the other room until approved, and the copy hides its originator", async () => {
    const w = at0714();
    const config = {
      ...CONFIG,
      sharing: [
        {
          ...CONFIG.sharing[0]!,
          approval: { role: "approver", count: 1, notRequester: true, expiresMs: 86_400_000 },
          redact: ["reporter" as const],
        },
      ],
    };
    const reply = await send(
      rfi,
      "!rfi ask priority=immediate ltiov=281000ZNOV26 to=usa-jtf -- q?",
      contextFor(w, ROJAS, COL_USA, { config }),
    );
    expect(text(reply)).toContain(
      '→ usa-jtf: needs 1 approval from an approver in col-usa (rule "col-usa→usa-jtf")',
    );
    expect(reply.ok && reply.value.notices).toEqual([]);
    expect(w.rfis.rows[0]?.toRoomId).toBeUndefined();
    expect(text(await send(rfi, "!rfi list", contextFor(w, SMITH, USA_JTF, { config })))).not.toContain(
      "RFI-1",
    );
    const { decideAlert } = await import("../../../commands/approving.ts");
    const d = await decideAlert(
      contextFor(w, MILLER, COL_USA, {
        config,
        member: { partner: "USA", roles: ["approver"], name: "CDR Miller" },
      }),
      1,
      "approve",
      "reaction",
    );
    if (!d.ok) throw new Error(describeError(d.error));
    const copy = d.value.notices[0]!;
    expect(plain(copy.message).split("\n")[1]).toBe(
      'From col-usa (RFI-1, IMMEDIATE, LTIOV 28 Nov 10:00Z): "q?"',
    );
    expect(JSON.stringify(copy)).not.toContain(ROJAS);
    expect(w.rfis.rows[0]?.toRoomId).toBe(USA_JTF);
    expect(text(await send(rfi, "!rfi list", contextFor(w, SMITH, USA_JTF, { config })))).toContain("RFI-1");
  });

  it("keeps an RFI out of a room a duty officer of another partner refers it to (the reviewed case)", async () => {
    const w = at0714();
    await send(rfi, "!rfi ask to=usa-jtf -- anything on HK-4F2?", inPan(w, ROJAS, COL_USA));
    const reply = await send(rfi, "!rfi refer RFI-1 to=col-pan -- PAN has it", inPan(w, MILLER, USA_JTF));
    expect(error(reply)).toBe(
      `only its originator (${ROJAS}) or a duty officer of COL or USA can refer RFI-1 to a room (you are with JTF).`,
    );
    expect(refusalAudit(reply)[0]).toMatchObject({
      actor: MILLER,
      action: "command.refused",
      roomId: USA_JTF,
      detail: { command: "rfi", action: "refer", ref: "RFI-1", partner: "JTF", why: "refer to a room" },
    });
    expect(w.rfis.rows[0]).toMatchObject({ status: "open", toRoomId: USA_JTF });
    expect(text(await send(rfi, "!rfi list all", inPan(w, ROJAS, COL_PAN)))).toBe(
      "No RFIs in all states in this room.",
    );
  });

  it("refuses a referral to a room no rule from the RFI's room reaches, even by the originating room's duty officer", async () => {
    const w = at0714();
    await send(rfi, "!rfi ask to=usa-jtf -- anything on HK-4F2?", inPan(w, ROJAS, COL_USA));
    const reply = await send(rfi, "!rfi refer RFI-1 to=col-pan", inPan(w, USA_DO, USA_JTF));
    expect(error(reply)).toBe(
      "RFI-1 can't go to col-pan: no sharing rule from col-usa to col-pan allows RFIs. Ask the operator, or address a partner (to=USA).",
    );
    expect(refusalAudit(reply)[0]).toMatchObject({
      actor: USA_DO,
      detail: { action: "refer", ref: "RFI-1", why: "no sharing rule", from: "col-usa", to: "col-pan" },
    });
    expect(w.rfis.rows[0]).toMatchObject({ status: "open", to: { room: "usa-jtf" }, toRoomId: USA_JTF });
  });

  it("refers to a room under a rule, by the originator or the originating room's duty officers", async () => {
    const w = at0714();
    const config = {
      ...WITH_PAN,
      sharing: [...WITH_PAN.sharing, sharingRule("col-usa", "col-pan", ["rfi"])],
    };
    await send(rfi, "!rfi ask to=USA -- anything on HK-4F2?", inPan(w, ROJAS, COL_USA, { config }));
    expect(error(await send(rfi, "!rfi refer RFI-1 to=usa-jtf", inPan(w, SMITH, COL_USA, { config })))).toBe(
      `only its originator (${ROJAS}) or a duty officer of COL or USA can refer RFI-1 to a room (you are with USA, not a duty officer).`,
    );
    const byDo = await send(
      rfi,
      "!rfi refer RFI-1 to=col-pan -- PAN has it",
      inPan(w, USA_DO, COL_USA, { config }),
    );
    expect(text(byDo)).toBe(
      `✅ RFI-1 referred to col-pan by LT Jones (USA) · ${ROJAS} notified\nReason: "PAN has it"\nA-1 for RFI-1:\n→ col-pan: relayed (rule "col-usa→col-pan")`,
    );
    expect(byDo.ok && byDo.value.audit?.[0]?.detail).toMatchObject({
      sharing: { from: "col-usa", to: "col-pan" },
    });
    expect(w.rfis.rows[0]).toMatchObject({ status: "referred", toRoomId: COL_PAN });
    expect(text(await send(rfi, "!rfi list", inPan(w, ROJAS, COL_PAN, { config })))).toContain("RFI-1");
    const byOriginator = await send(rfi, "!rfi refer RFI-1 to=usa-jtf", inPan(w, ROJAS, COL_USA, { config }));
    expect(text(byOriginator)).toMatch(/^✅ RFI-1 referred to usa-jtf by Lt. Rojas \(COL\)/);
    expect(w.rfis.rows[0]).toMatchObject({ to: { room: "usa-jtf" }, toRoomId: USA_JTF });
  });

  it("checks the rules when an edit moves the RFI to a room", async () => {
    const w = at0714();
    const ctx = inPan(w, ROJAS, COL_USA);
    const asked = await send(rfi, "!rfi ask to=USA -- q?", ctx);
    const edited = await editTo(rfi, "!rfi ask to=col-pan -- q?", ctx, recordOf(asked, "rfi", ctx));
    expect(error(edited)).toBe(
      "RFI-1 can't go to col-pan: no sharing rule from col-usa to col-pan allows RFIs. Ask the operator, or address a partner (to=USA).",
    );
    expect(refusalAudit(edited)[0]).toMatchObject({ detail: { action: "correct", ref: "RFI-1" } });
    expect(w.rfis.rows[0]).toMatchObject({ to: { partner: "USA" }, question: "q?" });
    const shared = await editTo(rfi, "!rfi ask to=usa-jtf -- q?", ctx, recordOf(asked, "rfi", ctx));
    expect(text(shared)).toContain('A-1 for RFI-1:\n→ usa-jtf: relayed (rule "col-usa→usa-jtf")');
    expect(w.rfis.rows[0]).toMatchObject({ to: { room: "usa-jtf" }, toRoomId: USA_JTF });
  });

  it("takes the rules from tearline.yaml", () => {
    const config = TearlineConfigSchema.parse({
      partners: { COL: { name: "Colombian Navy" }, USA: { name: "US Coast Guard" } },
      rooms: {
        "col-usa": { room: COL_USA, partners: ["COL", "USA"] },
        "usa-jtf": { room: USA_JTF, partners: ["USA"] },
      },
      sharing: [
        { from: "col-usa", to: "usa-jtf", kinds: ["sighting", "rfi"], max_tlp: "amber", approval: "auto" },
      ],
    });
    expect(configFacts(config).sharing).toEqual([
      {
        name: "col-usa→usa-jtf",
        from: "col-usa",
        to: "usa-jtf",
        kinds: ["sighting", "rfi"],
        maxTlp: "amber",
        approval: "auto",
        redact: [],
        positionPrecisionM: undefined,
        forward: false,
      },
    ]);
  });
});

describe("editing the !rfi ask message of a referred RFI", () => {
  it("keeps the addressee it was referred to, and says the edit's to= was ignored", async () => {
    const { w, ctx, reply } = await asked();
    await send(rfi, "!rfi refer RFI-1 to=usa-jtf -- JTF has the track", inPan(w, USA_DO, COL_USA));
    expect(w.rfis.rows[0]).toMatchObject({ status: "referred", toRoomId: USA_JTF });
    const edited = await editTo(
      rfi,
      '!rfi ask priority=immediate ltiov=281000ZNOV26 to=USA -- last known position of "SIN NOMBRE" (GO FAST 1)?',
      ctx,
      recordOf(reply, "rfi", ctx),
    );
    expect(text(edited)).toBe(
      [
        "✅ RFI-1 corrected · for usa-jtf · IMMEDIATE · answer needed by 28 Nov 10:00Z (in 2 h 46 m)",
        'Q: "last known position of "SIN NOMBRE" (GO FAST 1)?"',
        "to=USA ignored: RFI-1 was referred to usa-jtf, so it stays with usa-jtf.",
      ].join("\n"),
    );
    expect(w.rfis.rows[0]).toMatchObject({
      status: "referred",
      to: { room: "usa-jtf", partners: ["USA", "JTF"] },
      toRoomId: USA_JTF,
      question: 'last known position of "SIN NOMBRE" (GO FAST 1)?',
    });
    expect(edited.ok && edited.value.audit?.[0]?.detail).toMatchObject({ ignoredTo: "USA" });
    expect(text(await send(rfi, "!rfi list", contextFor(w, SMITH, USA_JTF)))).toContain("RFI-1");
  });

  it("says nothing of to= when the edit names the addressee it was referred to, or none", async () => {
    const { w, ctx, reply } = await asked();
    await send(rfi, "!rfi refer RFI-1 to=JTF", contextFor(w, SMITH));
    const original = recordOf(reply, "rfi", ctx);
    expect(text(await editTo(rfi, "!rfi ask to=JTF -- q1?", ctx, original))).toBe(
      '✅ RFI-1 corrected · for JTF · ROUTINE · no deadline\nQ: "q1?"',
    );
    expect(text(await editTo(rfi, "!rfi ask -- q2?", ctx, original))).toBe(
      '✅ RFI-1 corrected · for JTF · ROUTINE · no deadline\nQ: "q2?"',
    );
    expect(w.rfis.rows[0]).toMatchObject({ status: "referred", to: { partner: "JTF" } });
  });
});
