/**
 * Issue 7 end to end (ALERTS-CONTRACT.md): three encrypted rooms configured by id, officers of four
 * partners, a rule with an approver and a tearline from col-usa to usa-jtf, an auto rule back, and
 * no rule at all to col-pan. One bot and one set of officers for the whole file (each officer is a
 * real client); every story logs its own sighting or alert, so the stories do not lean on each other.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDtg } from "../../src/domain/dtg.ts";
import { copiesIn, deepKeys, findPosition, isRecord, roomsByAdmin } from "../support/alerts.ts";
import type { BotProcess } from "../support/botProcess.ts";
import { uniqueName } from "../support/homeserver.ts";
import { Officer, type ReceivedEvent } from "../support/officer.ts";
import { createScene, reactionsTo, type Scene } from "../support/scene.ts";

/** 12°30.5'N 079°10'W, as the officer types it and as decimal degrees. */
const WHERE = "12°30.5'N 079°10'W";
const ORIGINAL = { lat: 12 + 30.5 / 60, lon: -(79 + 10 / 60) };
const RULE_OUT = "col-usa→usa-jtf";
const RULE_BACK = "usa-jtf→col-usa";

describe("alerts across the tearline", () => {
  let s: Scene;
  let bot: BotProcess;
  let botId: string;
  let rojas: Officer; // COL liaison and approver: the requester, whose own ✅ must not count
  let diaz: Officer; // COL liaison, no approver role
  let miller: Officer; // USA approver
  let jtf: Officer; // JTF duty officer
  let pan: Officer; // PAN liaison
  let rooms: Record<"col-usa" | "usa-jtf" | "col-pan", string>;
  const tag = (): string => randomBytes(4).toString("hex");

  beforeAll(async () => {
    s = await createScene();
    botId = s.account.userId;
    rojas = s.officer;
    [diaz, miller, jtf, pan] = await Promise.all([
      Officer.create(s.hs, uniqueName("diaz")),
      Officer.create(s.hs, uniqueName("miller")),
      Officer.create(s.hs, uniqueName("jtf")),
      Officer.create(s.hs, uniqueName("pan")),
    ]);
    const ids = await roomsByAdmin(s.hs, botId, {
      "col-usa": [rojas, diaz, miller],
      "usa-jtf": [miller, jtf],
      "col-pan": [rojas, pan],
    });
    rooms = { "col-usa": ids["col-usa"]!, "usa-jtf": ids["usa-jtf"]!, "col-pan": ids["col-pan"]! };
    s.config.partners = {
      COL: { name: "Colombian Navy" },
      USA: { name: "US Coast Guard" },
      JTF: { name: "Joint Task Force" },
      PAN: { name: "SENAN Panamá" },
    };
    s.config.rooms = {
      "col-usa": { room: rooms["col-usa"], partners: ["COL", "USA"] },
      "usa-jtf": { room: rooms["usa-jtf"], partners: ["USA", "JTF"] },
      "col-pan": { room: rooms["col-pan"], partners: ["COL", "PAN"] },
    };
    s.config.roster = {
      [rojas.userId]: { partner: "COL", roles: ["liaison", "approver"], name: "Lt. Rojas" },
      [diaz.userId]: { partner: "COL", roles: ["liaison"], name: "Lt. Díaz" },
      [miller.userId]: { partner: "USA", roles: ["duty_officer", "approver"], name: "CDR Miller" },
      [jtf.userId]: { partner: "JTF", roles: ["duty_officer"], name: "Maj. Ortega" },
      [pan.userId]: { partner: "PAN", roles: ["liaison"], name: "Tte. Vega" },
    };
    s.config.sharing = [
      {
        from: "col-usa",
        to: "usa-jtf",
        kinds: ["sighting", "rfi", "text"],
        max_tlp: "amber",
        approval: { role: "approver", count: 1, not_requester: true, expires: "24h" },
        redact: ["reporter", "remarks"],
        position_precision: "10km",
      },
      { from: "usa-jtf", to: "col-usa", kinds: ["text"], max_tlp: "green", approval: "auto" },
    ];
    bot = s.startBot();
    await bot.ready();
    await Promise.all([
      rojas.waitForMembership(rooms["col-usa"], botId, "join"),
      jtf.waitForMembership(rooms["usa-jtf"], botId, "join"),
      pan.waitForMembership(rooms["col-pan"], botId, "join"),
    ]);
  });
  afterAll(async () => {
    await Promise.all([diaz, miller, jtf, pan].filter(Boolean).map((o) => o.stop()));
    await s?.teardown();
  });

  const fromBot = (m: ReceivedEvent): boolean => m.sender === botId;

  /** Sends a command and waits for the bot's reply to it (the first one matching `match`). */
  async function command(
    o: Officer,
    room: string,
    body: string,
    match: (m: ReceivedEvent) => boolean = () => true,
  ) {
    const id = await o.send(room, body);
    const reply = await o.waitForMessage(room, (m) => fromBot(m) && m.replyTo === id && match(m));
    return { id, reply };
  }

  /**
   * A round trip that bounds every earlier effect in a room: the bot handles a room's events in
   * timeline order and sends a room's messages in the order they were queued, so anything an earlier
   * event queued for this room arrives before this reply.
   */
  async function marker(o: Officer, room: string): Promise<void> {
    await command(o, room, "!status");
  }

  /** Rojas logs a sighting in col-usa; the remarks carry a tag no other story uses. */
  async function logSighting() {
    const remarks = `go-fast, 3 outboards, no flag ${tag()}`;
    const seen = formatDtg(new Date(Date.now() - 3_600_000));
    const { id, reply } = await command(
      rojas,
      rooms["col-usa"],
      `!sight vessel ${WHERE} "SIN NOMBRE" time=${seen} course=045 speed=32kt conf=B2 rel=USA,JTF -- ${remarks}`,
    );
    expect(reply.body).toMatch(/^✅ S-\d+ logged/);
    return { commandId: id, ref: /S-\d+/.exec(reply.body)![0], remarks };
  }

  /** `!alert S-<n> to=usa-jtf`: the reply (the approval request) and the alert's ref. */
  async function raiseAlert(sightRef: string) {
    const { id, reply } = await command(rojas, rooms["col-usa"], `!alert ${sightRef} to=usa-jtf`);
    expect(reply.body).toMatch(new RegExp(`^A-\\d+ for ${sightRef}:`));
    return { commandId: id, request: reply, ref: /^A-\d+/.exec(reply.body)![0] };
  }

  function copyIn(o: Officer, room: string, ref: string): Promise<ReceivedEvent> {
    return o.waitFor(`the copy of ${ref}`, () => copiesIn(o, room, botId, ref)[0]);
  }

  /** A sighting alerted and approved by Miller's ✅, as JTF received it. */
  async function relayApproved() {
    const sight = await logSighting();
    const alert = await raiseAlert(sight.ref);
    await miller.react(rooms["col-usa"], alert.request.eventId, "✅");
    const copy = await copyIn(jtf, rooms["usa-jtf"], alert.ref);
    return { sight, alert, copy };
  }

  async function auditCount(action: string): Promise<number> {
    const rows = await s.db.sql<
      { n: string }[]
    >`select count(*) as n from audit_log where action = ${action}`;
    return Number(rows[0]?.n ?? 0);
  }

  it("relays a sighting to usa-jtf only after the approver's ✅; the requester's and a non-approver's ✅ change nothing", async () => {
    const colUsa = rooms["col-usa"];
    const usaJtf = rooms["usa-jtf"];
    const sight = await logSighting();
    const alert = await raiseAlert(sight.ref);
    expect(alert.request.encrypted).toBe(true);
    expect(alert.request.body).toContain(
      `→ usa-jtf: needs 1 approval from an approver in col-usa (rule "${RULE_OUT}")`,
    );
    expect(alert.request.body).toContain("React ✅ to approve or ❌ to deny");
    await rojas.waitFor("the bot's ✅ on the !alert", () =>
      reactionsTo(rojas, colUsa, botId, alert.commandId).find(
        (r) => (r.content["m.relates_to"] as { key?: string }).key === "✅",
      ),
    );
    const ignoredBefore = await auditCount("alert.approval_ignored");

    await rojas.react(colUsa, alert.request.eventId, "✅"); // the requester, an approver himself
    await diaz.react(colUsa, alert.request.eventId, "✅"); // a COL liaison without the role
    await marker(diaz, colUsa); // both reactions handled
    await marker(jtf, usaJtf); // and a copy they queued would be out by now
    expect(copiesIn(jtf, usaJtf, botId)).toEqual([]);
    expect(rojas.messagesFrom(colUsa, botId).filter((m) => m.body.includes(`${alert.ref} approved`))).toEqual(
      [],
    );
    expect(await auditCount("alert.approval_ignored")).toBe(ignoredBefore + 2);

    await miller.react(colUsa, alert.request.eventId, "✅");
    const approved = await rojas.waitForMessage(
      colUsa,
      (m) => fromBot(m) && m.replyTo === alert.request.eventId && m.body.includes(`${alert.ref} approved`),
    );
    expect(approved.body).toBe(`✅ ${alert.ref} approved by CDR Miller · relayed to usa-jtf`);
    const copy = await copyIn(jtf, usaJtf, alert.ref);
    expect(copy.body.split("\n")[2]).toBe("Approved by CDR Miller");
    await marker(jtf, usaJtf);
    expect(copiesIn(jtf, usaJtf, botId, alert.ref)).toHaveLength(1);
  });

  it("!approve from the requester or a non-approver says why and approves nothing", async () => {
    const colUsa = rooms["col-usa"];
    const sight = await logSighting();
    const alert = await raiseAlert(sight.ref);
    const own = await command(rojas, colUsa, `!approve ${alert.ref}`);
    expect(own.reply.body).toBe(
      `❌ ${alert.ref}: you asked for it, and rule "${RULE_OUT}" needs someone else's approval`,
    );
    const other = await command(diaz, colUsa, `!approve ${alert.ref}`);
    expect(other.reply.body).toBe(`❌ ${alert.ref}: needs the approver role in col-usa; you have: liaison`);
    await marker(jtf, rooms["usa-jtf"]);
    expect(copiesIn(jtf, rooms["usa-jtf"], botId, alert.ref)).toEqual([]);

    await miller.send(colUsa, `!approve ${alert.ref}`);
    await copyIn(jtf, rooms["usa-jtf"], alert.ref);
  });

  it("the copy is encrypted, carries the banner, leaves out the redacted fields everywhere and coarsens the position", async () => {
    const { sight, alert, copy } = await relayApproved();
    expect(copy.encrypted).toBe(true);
    expect(copy.replyTo).toBeUndefined();
    expect(copy.content).toMatchObject({ msgtype: "m.notice", format: "org.matrix.custom.html" });
    expect(copy.content.formatted_body).toEqual(expect.stringContaining(alert.ref));
    const lines = copy.body.split("\n");
    expect(lines[0]).toBe(`⚠ ALERT ${alert.ref} · TLP:AMBER · REL TO USA, JTF`);
    expect(lines[1]).toMatch(
      new RegExp(`^From col-usa \\(${sight.ref}\\): vessel "SIN NOMBRE" near .*\\(±10 km\\)`),
    );
    expect(lines[1]).toContain("course 045° · 32 kt · B2");
    expect(lines[2]).toBe("Approved by CDR Miller");

    // Redaction happened before encryption: not in body, formatted_body or the structured item.
    const wire = JSON.stringify(copy.content);
    expect(wire).not.toContain(sight.remarks);
    expect(wire).not.toContain("outboards");
    expect(wire).not.toContain(rojas.userId);
    const structured = copy.content["org.tearline.alert"];
    expect(structured).toMatchObject({
      ref: alert.ref,
      origin: { room: "col-usa", ref: sight.ref },
      kind: "sighting",
      tlp: "amber",
      approvers: [miller.userId],
      rule: RULE_OUT,
    });
    expect(isRecord(structured) && [...(structured.rel as string[])].sort()).toEqual(["JTF", "USA"]);
    const keys = deepKeys(isRecord(structured) ? structured.item : undefined);
    expect(keys).not.toContain("remarks");
    expect(keys).not.toContain("reporter");

    const position = findPosition(isRecord(structured) ? structured.item : undefined);
    expect(position, "a position in org.tearline.alert.item").toBeDefined();
    expect(position?.precisionM).toBeGreaterThanOrEqual(10_000);
    const moved = Math.max(Math.abs(position!.lat - ORIGINAL.lat), Math.abs(position!.lon - ORIGINAL.lon));
    expect(moved).toBeGreaterThan(1e-6); // snapped to a cell centre, not the reported point
    expect(moved).toBeLessThan(0.2); // … of the cell that holds it
  });

  it("a relayed sighting is listed in usa-jtf's !sightings as received, with its origin", async () => {
    const { alert } = await relayApproved();
    const { reply } = await command(jtf, rooms["usa-jtf"], "!sightings since=24h");
    expect(reply.body).toMatch(new RegExp(`S-\\d+ \\(received ${alert.ref} from col-usa\\) · `));
  });

  it("an auto rule relays a TLP:GREEN text alert from usa-jtf to col-usa at once", async () => {
    const text = `P-8 on station over the Guajira until 1200Z ${tag()}`;
    const { reply } = await command(jtf, rooms["usa-jtf"], `!alert tlp=green -- ${text}`);
    expect(reply.body).toMatch(/^A-\d+ \(text alert\):/);
    expect(reply.body).toContain(`→ col-usa: relayed (rule "${RULE_BACK}")`);
    const ref = /^A-\d+/.exec(reply.body)![0];
    const copy = await copyIn(rojas, rooms["col-usa"], ref);
    expect(copy.encrypted).toBe(true);
    expect(copy.body.split("\n")).toEqual([
      `⚠ ALERT ${ref} · TLP:GREEN`,
      `From usa-jtf: "${text}"`,
      `Relayed automatically (rule "${RULE_BACK}")`,
    ]);
    expect(copy.content["org.tearline.alert"]).toMatchObject({
      ref,
      origin: { room: "usa-jtf", ref: null },
      kind: "text",
      tlp: "green",
      rule: RULE_BACK,
    });
  });

  it("deleting the source !sight sends usa-jtf a recall that replies to its copy", async () => {
    const { sight, alert, copy } = await relayApproved();
    await rojas.redact(rooms["col-usa"], sight.commandId);
    const recall = await jtf.waitFor(`a recall of ${alert.ref} replying to its copy`, () =>
      jtf.messagesFrom(rooms["usa-jtf"], botId).find((m) => m.replyTo === copy.eventId),
    );
    expect(recall.encrypted).toBe(true);
    expect(recall.body).toBe(
      `⚠ RECALL ${alert.ref}: ${sight.ref} was withdrawn in col-usa; disregard this alert.`,
    );
  });

  it("!rfi ask to=usa-jtf waits for its approval: nothing of it reaches usa-jtf before the ✅", async () => {
    const colUsa = rooms["col-usa"];
    const usaJtf = rooms["usa-jtf"];
    const question = `last known position of the go-fast ${tag()}?`;
    const { id } = await command(rojas, colUsa, `!rfi ask priority=immediate to=usa-jtf -- ${question}`);
    const request = await rojas.waitFor(
      "a reply to !rfi ask that is the approval request (A-<n> for RFI-<m>:)",
      () =>
        rojas.messagesFrom(colUsa, botId).find((m) => m.replyTo === id && /A-\d+ for RFI-\d+:/.test(m.body)),
      20_000,
    );
    const [, ref, rfiRef] = /(A-\d+) for (RFI-\d+):/.exec(request.body)!;
    expect(request.body).toContain(
      `→ usa-jtf: needs 1 approval from an approver in col-usa (rule "${RULE_OUT}")`,
    );

    const before = await command(jtf, usaJtf, "!rfi list");
    expect(before.reply.body).not.toContain(question);
    expect(jtf.messagesFrom(usaJtf, botId).filter((m) => m.body.includes(question))).toEqual([]);
    expect(copiesIn(jtf, usaJtf, botId, ref)).toEqual([]);

    await miller.react(colUsa, request.eventId, "✅");
    const copy = await copyIn(jtf, usaJtf, ref!);
    expect(copy.encrypted).toBe(true);
    expect(copy.body.split("\n")[1]).toMatch(
      new RegExp(`^From col-usa \\(${rfiRef}, IMMEDIATE\\b.*\\): "${question.replace("?", "\\?")}"$`),
    );
    expect(JSON.stringify(copy.content)).not.toContain(rojas.userId); // redact: [reporter]
    const after = await command(jtf, usaJtf, "!rfi list");
    expect(after.reply.body).toContain(question);
  });

  // Last, so that every alert above has had its chance to leak.
  it("col-pan, with no rule into it, never receives anything", async () => {
    const sight = await logSighting();
    const { id, reply } = await command(rojas, rooms["col-usa"], `!alert ${sight.ref} to=col-pan`);
    expect(reply.body).toContain("→ col-pan: not sent — no rule from col-usa to col-pan");
    await rojas.waitFor("the bot's ❌ on an alert with nowhere to go", () =>
      reactionsTo(rojas, rooms["col-usa"], botId, id).find(
        (r) => (r.content["m.relates_to"] as { key?: string }).key === "❌",
      ),
    );
    const colPan = rooms["col-pan"];
    const { id: last } = await command(pan, colPan, "!status");
    // All the bot ever put in col-pan, as PAN sees it: the answer to PAN's own command.
    const botEvents = pan
      .eventsIn(colPan)
      .filter((e) => e.sender === botId && (e.type === "m.room.message" || e.type === "m.reaction"));
    const about = botEvents.map(
      (e) => e.replyTo ?? (e.content["m.relates_to"] as { event_id?: string })?.event_id,
    );
    expect(about.every((x) => x === last)).toBe(true);
    expect(botEvents.some((e) => /ALERT|RECALL|CORRECTION/.test(e.body))).toBe(false);
  });
});
