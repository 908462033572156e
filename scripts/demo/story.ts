/**
 * The story, in order: a sighting in col-usa, an RFI from COL answered by USA, an alert approved by
 * the USA approver's ✅ and relayed into usa-jtf with the reporter and remarks removed, the recall
 * when the sighting is retracted, and the commanders' digest with its map. Every message is printed
 * as the room's members see it; each check the story makes is a `↳` line, and a failed one throws.
 */
import { formatDtg } from "../../src/domain/dtg.ts";
import { copiesIn } from "../../test/support/alerts.ts";
import type { ReceivedEvent } from "../../test/support/officer.ts";
import { decryptMap, mapInfo } from "./map.ts";
import type { Person, RoomAlias, Stage } from "./setup.ts";
import { print, reacted, remark, say } from "./transcript.ts";

const WAIT_MS = 120_000;
const BOT = "Tearline";

/** Plays the story; resolves with how many of the bot's messages were printed and how many came encrypted. */
export async function playStory(st: Stage): Promise<{ shown: number; encrypted: number }> {
  const fromBot = (m: ReceivedEvent): boolean => m.sender === st.botId;
  const tally = { shown: 0, encrypted: 0 };
  const count = (m: ReceivedEvent): void => {
    tally.shown += 1;
    if (m.encrypted) tally.encrypted += 1;
  };

  /** Prints and sends a command, then prints the bot's reply to it (and its reaction, if any). */
  async function command(p: Person, room: RoomAlias, text: string) {
    const roomId = st.rooms[room];
    say(room, p.label, text);
    const id = await p.officer.send(roomId, text);
    const reply = await p.officer.waitForMessage(roomId, (m) => fromBot(m) && m.replyTo === id, WAIT_MS);
    say(room, BOT, reply.body);
    count(reply);
    const reaction = await p.officer
      .waitForEvent(
        roomId,
        (e) => fromBot(e) && e.type === "m.reaction" && relation(e)?.event_id === id,
        5_000,
      )
      .catch(() => undefined);
    const key = reaction && relation(reaction)?.key;
    if (typeof key === "string") reacted(room, BOT, key, text);
    return { id, reply };
  }

  /** Waits for a message of the bot's in a room as `p` receives it, and prints it. */
  async function botSays(p: Person, room: RoomAlias, what: string, check: () => ReceivedEvent | undefined) {
    const m = await p.officer.waitFor(what, check, WAIT_MS);
    say(room, BOT, m.body);
    count(m);
    return m;
  }

  const chapter = (title: string): void => {
    print();
    print(`── ${title} ──`);
  };

  chapter("1. A sighting (col-usa)");
  const remarks = "go-fast, 3 outboards, no flag; crew of 4 seen throwing bales";
  const seen = formatDtg(new Date(Date.now() - 3_600_000));
  const sight = await command(
    st.rojas,
    "col-usa",
    `!sight vessel 12°30.5'N 079°10'W "SIN NOMBRE" time=${seen} course=045 speed=32kt conf=B2 -- ${remarks}`,
  );
  const sightRef = expectRef(/S-\d+/, sight.reply.body, "the sighting's ref");

  chapter("2. A request for information, COL → USA (col-usa)");
  const asked = await command(
    st.rojas,
    "col-usa",
    "!rfi ask priority=immediate to=USA -- last known position of SIN NOMBRE?",
  );
  const rfiRef = expectRef(/RFI-\d+/, asked.reply.body, "the RFI's ref");
  await command(
    st.hale,
    "col-usa",
    `!rfi answer ${rfiRef} -- AIS dark since 0600Z; P-8 holds a radar contact heading NE`,
  );

  chapter("3. An alert across the tearline, approved by USA (col-usa → usa-jtf)");
  const alert = await command(st.rojas, "col-usa", `!alert ${sightRef} to=usa-jtf`);
  const alertRef = expectRef(/^A-\d+/, alert.reply.body, "the alert's ref");
  await st.hale.officer.waitFor(
    "the approval request",
    () => st.hale.officer.eventsIn(st.rooms["col-usa"]).find((e) => e.eventId === alert.reply.eventId),
    WAIT_MS,
  );
  await st.hale.officer.react(st.rooms["col-usa"], alert.reply.eventId, "✅");
  reacted("col-usa", st.hale.label, "✅", alert.reply.body);
  await botSays(st.rojas, "col-usa", `${alertRef} approved`, () =>
    st.rojas.officer
      .messagesFrom(st.rooms["col-usa"], st.botId)
      .find((m) => m.replyTo === alert.reply.eventId && m.body.includes(`${alertRef} approved`)),
  );
  print();
  const copy = await botSays(
    st.diaz,
    "usa-jtf",
    `the copy of ${alertRef}`,
    () => copiesIn(st.diaz.officer, st.rooms["usa-jtf"], st.botId, alertRef)[0],
  );
  const wire = JSON.stringify(copy.content);
  const leaks = [remarks, st.rojas.officer.userId, st.rojas.name].filter((s) => wire.includes(s));
  if (leaks.length > 0)
    throw new Error(`the relayed copy carries what the rule removes: ${leaks.join(", ")}`);
  remark(`this is ${st.diaz.name}'s copy: no remarks ("${remarks}") and no reporter (${st.rojas.name}),`);
  remark("the position rounded to a 10 km cell — the sharing rule col-usa→usa-jtf removed them");

  chapter("4. The sighting is retracted: a recall follows the copy (col-usa, usa-jtf)");
  await command(st.rojas, "col-usa", `!retract ${sightRef} -- it was a fishing boat`);
  await botSays(st.diaz, "usa-jtf", `the recall of ${alertRef}`, () =>
    st.diaz.officer.messagesFrom(st.rooms["usa-jtf"], st.botId).find((m) => m.replyTo === copy.eventId),
  );
  remark(`the recall is a reply to the copy ${st.diaz.name} received`);

  chapter("5. The commanders' digest and its map (col-usa)");
  await command(st.hale, "col-usa", "!sight aircraft 11.2,-73.1 tail=N4F2 conf=C3 -- low, no lights");
  const digest = await command(st.moreno, "col-usa", "!digest now");
  if (!digest.reply.body.startsWith("DAILY DIGEST · "))
    throw new Error("the digest has no DAILY DIGEST heading");
  const map = await st.moreno.officer.waitForMessage(
    st.rooms["col-usa"],
    (m) => fromBot(m) && m.content.msgtype === "m.image",
    WAIT_MS,
  );
  count(map);
  const info = mapInfo(map);
  say(
    "col-usa",
    BOT,
    `[m.image] ${map.body} · ${info.name} · ${info.mimetype} · ${info.size} bytes · ${info.width}×${info.height}`,
  );
  const png = await decryptMap(st.moreno.officer, map);
  if (png.width !== info.width || png.height !== info.height || png.bytes !== info.size)
    throw new Error(
      `the decrypted map is ${png.width}×${png.height}, ${png.bytes} bytes, not what the event says`,
    );
  remark(
    `${st.moreno.name}'s client downloaded and decrypted the map: a PNG, ${png.width}×${png.height}, ${png.bytes} bytes`,
  );
  print();
  return tally;
}

function relation(e: ReceivedEvent): { event_id?: unknown; key?: unknown } | undefined {
  const rel = e.content["m.relates_to"];
  return typeof rel === "object" && rel !== null ? (rel as { event_id?: unknown; key?: unknown }) : undefined;
}

function expectRef(re: RegExp, body: string, what: string): string {
  const hit = re.exec(body)?.[0];
  if (hit === undefined) throw new Error(`no ${what} in the bot's reply: ${body}`);
  return hit;
}
