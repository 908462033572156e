import { describe, expect, it } from "vitest";
import rfi from "../../../commands/rfi.ts";
import {
  COL_USA,
  COMMANDER,
  contextFor,
  editTo,
  error,
  MILLER,
  OTHER_ROOM,
  ROJAS,
  recordOf,
  SMITH,
  send,
  text,
  USA_JTF,
  world,
} from "./fakes.ts";

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

  it("is routine without a deadline by default, and addressed to the room's other partner", async () => {
    const { reply, w } = await asked(at0714(), "!rfi ask -- any AIS on MMSI 367123450?");
    expect(text(reply)).toBe("✅ RFI-1 raised for USA · ROUTINE · no deadline");
    expect(w.rfis.rows[0]?.to).toEqual({ partner: "USA" });
  });

  it("can be addressed to a room, whose partners then answer", async () => {
    const { reply, w } = await asked(at0714(), "!rfi ask to=usa-jtf -- anything on HK-4F2?");
    expect(text(reply)).toBe(
      "✅ RFI-1 raised for usa-jtf · ROUTINE · no deadline\nTo put it before usa-jtf, use !alert RFI-1 to=usa-jtf (sharing rules apply).",
    );
    expect(w.rfis.rows[0]).toMatchObject({
      to: { room: "usa-jtf", partners: ["USA", "JTF"] },
      toRoomId: USA_JTF,
    });
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
        'Q: last known position of "SIN NOMBRE"?',
        "A: AIS dark since 0600Z; P-8 contact at 12.9N 078.6W 0742Z",
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
    expect(error(await send(rfi, "!rfi answer RFI-1 -- mine", contextFor(w, ROJAS)))).toBe(
      "RFI-1 is for USA: only USA or a duty officer can answer it (you are with COL).",
    );
    expect(w.rfis.rows[0]?.status).toBe("open");
  });

  it("goes through accept, defer and refer with reasons, telling the originator each time", async () => {
    const { w } = await asked();
    const usa = contextFor(w, SMITH);
    expect(text(await send(rfi, "!rfi accept RFI-1", usa))).toBe(
      `✅ RFI-1 accepted by PO Smith (USA) · ${ROJAS} notified`,
    );
    expect(text(await send(rfi, "!rfi defer RFI-1 -- P-8 airborne at 0900Z", usa))).toBe(
      `✅ RFI-1 deferred by PO Smith (USA) · ${ROJAS} notified\nReason: P-8 airborne at 0900Z`,
    );
    expect(text(await send(rfi, "!rfi refer rfi-1 to=JTF -- JTF has the track", usa))).toBe(
      `✅ RFI-1 referred to JTF by PO Smith (USA) · ${ROJAS} notified\nReason: JTF has the track`,
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
    expect(error(await send(rfi, "!rfi close RFI-1", contextFor(w, SMITH)))).toBe(
      `only its originator (${ROJAS}) or a duty officer can close RFI-1.`,
    );
    expect(text(await send(rfi, "!rfi close RFI-1 -- thanks", contextFor(w, ROJAS)))).toBe(
      "✅ RFI-1 closed by Lt. Rojas (COL)\nReason: thanks",
    );
    expect(error(await send(rfi, "!rfi close RFI-1", contextFor(w, ROJAS)))).toBe(
      "RFI-1 is closed, so it can't be closed.",
    );
  });

  it("can be acted on from the room it is addressed to, and the originating room is told", async () => {
    const { w } = await asked(at0714(), "!rfi ask to=usa-jtf -- anything on HK-4F2?");
    const reply = await send(rfi, "!rfi answer RFI-1 -- nothing since 0400Z", contextFor(w, SMITH, USA_JTF));
    expect(reply.ok && reply.value.notices).toEqual([
      {
        roomId: COL_USA,
        text: expect.stringContaining(`RFI-1 answered by PO Smith (USA) · ${ROJAS} notified`),
        mentions: [ROJAS],
      },
    ]);
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
      "✅ RFI-1 corrected · for JTF · PRIORITY · no deadline\nQ: last known position of SIN NOMBRE?",
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
