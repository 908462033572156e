import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { formatDtg } from "../../src/domain/dtg.ts";
import { rosterConfig } from "../support/botProcess.ts";
import { type RegisteredUser, registerUser, uniqueName } from "../support/homeserver.ts";
import { Officer } from "../support/officer.ts";
import { createScene, reactionsTo, type Scene } from "../support/scene.ts";

describe("liaison officers' commands, end to end", () => {
  let s: Scene;
  let room: string;
  const extra: Officer[] = [];
  const fromBot = (commandId: string) => (m: { sender: string; replyTo?: string }) =>
    m.sender === s.account.userId && m.replyTo === commandId;

  let partnerUser: RegisteredUser;

  beforeEach(async () => {
    partnerUser = await registerUser(inject("homeserver"), uniqueName("do-usa"));
    // The officer is COL, the partner's duty officer USA (rosterConfig alternates partners).
    s = await createScene({ config: (o) => rosterConfig([o.userId, partnerUser.userId]) });
    await s.startBot().ready();
    room = await s.encryptedRoom();
  });
  afterEach(async () => {
    await Promise.all(extra.splice(0).map((o) => o.stop()));
    await s.teardown();
  });

  it("logs a sighting given in MGRS with a DTG, lists it, and corrects it when the command is edited", async () => {
    const seen = formatDtg(new Date(Date.now() - 3_600_000));
    const command = await s.officer.send(
      room,
      `!sight vessel 18PTR1234567890 "SIN NOMBRE" time=${seen} course=045 speed=32kt conf=B2 -- go-fast`,
    );
    const logged = await s.officer.waitForMessage(room, fromBot(command));
    expect(logged.encrypted).toBe(true);
    expect(logged.body).toMatch(/^✅ S-(\d+) logged · vessel "SIN NOMBRE" · 18P TR 12345 67890 = /);
    expect(logged.body).toContain("course 045° · 32 kt · B2 · TLP:AMBER");
    // HTML beside the plain text, and an explicit "ping nobody".
    expect(logged.content).toMatchObject({ format: "org.matrix.custom.html", "m.mentions": {} });
    expect(logged.content.formatted_body).toMatch(/^✅ <b>S-\d+<\/b> logged · vessel &quot;SIN NOMBRE&quot;/);
    const ref = /S-\d+/.exec(logged.body)![0];
    const stored = await s.db.sql`select kind, name, grading, tlp from sightings`;
    expect(stored).toHaveLength(1);

    const list = await s.officer.send(room, "!sightings since=24h kind=vessel");
    const listed = await s.officer.waitForMessage(room, fromBot(list));
    expect(listed.body).toContain(`${ref} · vessel "SIN NOMBRE"`);

    await s.officer.edit(
      room,
      command,
      `!sight vessel 18PTR1234567890 "SIN NOMBRE" time=${seen} course=090 speed=32kt conf=B2 -- go-fast`,
    );
    const corrected = await s.officer.waitForMessage(
      room,
      (m) => fromBot(command)(m) && m.body.includes("corrected"),
    );
    expect(corrected.body).toMatch(new RegExp(`^✅ ${ref} corrected · .*course 090°`));
    const rows = await s.db.sql<{ course: number }[]>`select course from sightings`;
    expect(rows.map((r) => Number(r.course))).toEqual([90]);
  });

  it("retracts a sighting when its command message is deleted, keeping the row", async () => {
    const command = await s.officer.send(room, "!sight aircraft 11.2,-73.1 tail=N4F2 -- low, no lights");
    const logged = await s.officer.waitForMessage(room, fromBot(command));
    const ref = /S-\d+/.exec(logged.body)![0];
    await s.officer.redact(room, command);
    const retracted = await s.officer.waitForMessage(
      room,
      (m) => fromBot(command)(m) && m.body.includes("retracted"),
    );
    expect(retracted.body).toMatch(new RegExp(`^✅ ${ref} retracted`));
    const rows = await s.db.sql<{ retracted_by: string | null }[]>`select retracted_by from sightings`;
    expect(rows).toEqual([{ retracted_by: s.officer.userId }]);
  });

  it("raises an RFI that a duty officer of the addressed partner answers, and tells the originator", async () => {
    const duty = await Officer.login(s.hs, partnerUser.userId, partnerUser.password);
    extra.push(duty);
    await s.officer.invite(room, duty.userId);
    await duty.join(room);
    await s.officer.waitForDevice(duty.userId, duty.deviceId);

    const ask = await s.officer.send(
      room,
      "!rfi ask priority=immediate to=USA -- last known position of SIN NOMBRE?",
    );
    const raised = await s.officer.waitForMessage(room, fromBot(ask));
    expect(raised.body).toMatch(/^✅ RFI-\d+ raised for USA · IMMEDIATE/);
    const ref = /RFI-\d+/.exec(raised.body)![0];

    const answer = await duty.send(room, `!rfi answer ${ref} -- AIS dark since 0600Z`);
    const answered = await s.officer.waitForMessage(room, fromBot(answer));
    expect(answered.body).toContain(
      `✅ ${ref} answered by ${duty.userId} (USA) · ${s.officer.userId} notified`,
    );
    expect(answered.content["m.mentions"]).toMatchObject({ user_ids: [s.officer.userId] });
    const rows = await s.db.sql`select status, answer from rfis`;
    expect(rows).toEqual([{ status: "answered", answer: "AIS dark since 0600Z" }]);
  });

  it("gives a malformed !sight the usage reply and stores nothing", async () => {
    const command = await s.officer.send(room, "!sight vesel 12.5N 79.1W");
    const reply = await s.officer.waitForMessage(room, fromBot(command));
    expect(reply.body).toContain(`❌ I didn't log that: "vesel" is not a kind of sighting.`);
    expect(reply.body).toContain("Kinds: vessel, aircraft, vehicle, person, other.");
    expect(reply.body).toMatch(/Example: !sight vessel /);
    await s.officer.waitFor("the ❌ reaction", () =>
      reactionsTo(s.officer, room, s.account.userId, command).length ? true : undefined,
    );
    expect(reactionsTo(s.officer, room, s.account.userId, command)[0]?.content["m.relates_to"]).toMatchObject(
      { key: "❌" },
    );
    expect(await s.db.sql`select * from sightings`).toHaveLength(0);
  });

  it("refuses a user who is not on the roster and stores nothing", async () => {
    const stranger = await Officer.create(s.hs);
    extra.push(stranger);
    await s.officer.invite(room, stranger.userId);
    await stranger.join(room);
    const device = (
      await s.db.sql<
        { value: { deviceId: string } }[]
      >`select value from bot_state where key = 'matrix.session'`
    )[0]!.value.deviceId;
    await stranger.waitForDevice(s.account.userId, device);
    const command = await stranger.send(room, "!sight vessel 12.51,-79.20 -- seen from the beach");
    const reply = await stranger.waitForMessage(room, fromBot(command));
    expect(reply.body).toMatch(/not on Tearline's roster/);
    expect(await s.db.sql`select * from sightings`).toHaveLength(0);
  });
});
