/**
 * `!export` over PostgreSQL through the real Dispatcher: a sighting relayed with its reporter and
 * remarks redacted and its position coarsened is exported as relayed — none of the removed values
 * is anywhere in any of the three files — and the file that the outbox sender uploads, encrypted,
 * decrypts to exactly the queued text.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { commands } from "../../commands/index.ts";
import { ATTACHMENT_KEY, materialise } from "../../src/bot/attachments.ts";
import { directoryFromConfig } from "../../src/bot/configDirectory.ts";
import { Dispatcher } from "../../src/bot/dispatch.ts";
import { CLI_ACTOR, exportCli } from "../../src/bot/exportCli.ts";
import { TearlineConfigSchema } from "../../src/config/schema.ts";
import { createLogger } from "../../src/log.ts";
import { downloadDecrypted } from "../../src/matrix/attachments.ts";
import type { TimelineItem } from "../../src/matrix/sync.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

const COL_USA = "!colusa:example.org";
const USA_JTF = "!usajtf:example.org";
const ROJAS = "@lo.col:example.org";
const SMITH = "@po.usa:example.org";
const HAYES = "@lo.jtf:example.org";
const T0 = Date.parse("2026-11-28T07:14:00Z");
const SECRET_REMARKS = "informant aboard, do not board";

const CONFIG_FILE = {
  partners: { COL: { name: "Colombian Navy" }, USA: { name: "US Coast Guard" }, JTF: { name: "JTF" } },
  rooms: {
    "col-usa": { room: COL_USA, partners: ["COL", "USA"] },
    "usa-jtf": { room: USA_JTF, partners: ["USA", "JTF"] },
  },
  roster: {
    [ROJAS]: { partner: "COL", roles: ["liaison"], name: "Lt. Rojas" },
    [SMITH]: { partner: "USA", roles: ["liaison"], name: "PO Smith" },
    [HAYES]: { partner: "JTF", roles: ["liaison"], name: "Capt. Hayes" },
  },
  sharing: [
    {
      from: "col-usa",
      to: "usa-jtf",
      kinds: ["sighting"],
      max_tlp: "amber",
      approval: "auto",
      redact: ["reporter", "remarks"],
      position_precision: "10km",
    },
  ],
};
const config = TearlineConfigSchema.parse(CONFIG_FILE);

interface ExportRow {
  kind: string;
  filename: string;
  mimetype: string;
  text: string;
}

describe("!export over PostgreSQL", () => {
  let db: TestDatabase;
  let dispatcher: Dispatcher;
  let seq = 0;
  const now = new Date(T0 + 3_600_000);

  beforeAll(async () => {
    db = await createTestDatabase("export");
    dispatcher = new Dispatcher({
      db: db.db,
      log: createLogger("error", {}, () => {}),
      directory: directoryFromConfig(config),
      commands,
      isEncrypted: async () => true,
      runtime: () => Promise.reject(new Error("not here")),
      now: () => now,
      onOutbox: () => {},
    });
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await db.sql`truncate sightings, rfis, command_events, outbox, audit_log, processed_events, alerts, alert_targets, alert_approvals restart identity`;
  });

  const say = (sender: string, body: string, roomId: string) =>
    dispatcher.handleOne({
      roomId,
      encrypted: true,
      event: {
        type: "m.room.message",
        event_id: `$x${++seq}`,
        sender,
        origin_server_ts: +now,
        content: { msgtype: "m.text", body },
      },
    } satisfies TimelineItem);

  async function exported(roomId: string): Promise<ExportRow[]> {
    const rows = await db.sql<{ content: Record<string, unknown> }[]>`
      select content from outbox where room_id = ${roomId} order by id`;
    return rows
      .map((r) => r.content[ATTACHMENT_KEY] as ExportRow | undefined)
      .filter((a) => a?.kind === "export-file") as ExportRow[];
  }

  async function relayOne() {
    await say(
      ROJAS,
      `!sight vessel 12.5083,-79.1667 "SIN NOMBRE" time=280714ZNOV26 conf=B2 -- ${SECRET_REMARKS}`,
      COL_USA,
    );
    await say(ROJAS, "!alert S-1 to=usa-jtf", COL_USA);
    const [copy] = await db.sql<
      { id: number; lat: number; lon: number; remarks: string | null; reporter: string }[]
    >`
      select id::int, lat, lon, remarks, reporter from sightings where room_id = ${USA_JTF}`;
    expect(copy).toMatchObject({ remarks: null, reporter: "" });
    return copy!;
  }

  it("exports a relayed sighting as relayed: no redacted value in any of the three files", async () => {
    const copy = await relayOne();
    for (const format of ["csv", "cot", "stix"]) await say(SMITH, `!export ${format}`, USA_JTF);
    const files = await exported(USA_JTF);
    expect(files.map((f) => f.filename.split(".").slice(1).join("."))).toEqual(["csv", "cot", "stix.json"]);
    for (const f of files) {
      // What the copy holds is there…
      expect(f.text).toContain("SIN NOMBRE");
      expect(f.text).toContain("S-1");
      expect(f.text).toContain(String(copy.lat).slice(0, 6));
      // …and nothing that was removed at the tearline: remarks, reporter (id and name), the exact position.
      for (const gone of [
        SECRET_REMARKS,
        "informant",
        ROJAS,
        "lo.col",
        "Lt. Rojas",
        "12.5083",
        "-79.1667",
        "12.508300",
      ]) {
        expect(f.text, `${f.filename} holds ${gone}`).not.toContain(gone);
      }
    }
    expect(files[1]!.text).toContain('ce="10000.0"');
    expect(files[2]!.text).toContain('"precision": 10000');
    // The origin room exports its own, with everything it logged.
    await say(ROJAS, "!export csv", COL_USA);
    const [own] = await exported(COL_USA);
    expect(own!.text).toContain(SECRET_REMARKS);
    expect(own!.text).toContain("12.5083");
  });

  it("replies with what is in the file, audits export.created, and leaves retracted sightings out", async () => {
    await relayOne();
    await say(SMITH, "!sight aircraft 13.1,-78.2 tail=N4F2 time=280730ZNOV26", USA_JTF);
    await say(SMITH, "!sight vessel 13.2,-78.3 time=280731ZNOV26", USA_JTF);
    await say(SMITH, "!retract S-4", USA_JTF);
    await say(HAYES, "!export cot", USA_JTF);
    const replies = await db.sql<{ content: { body?: string } & Record<string, unknown> }[]>`
      select content from outbox where room_id = ${USA_JTF} and event_type = 'm.room.message' order by id`;
    const bodies = replies
      .filter((r) => !(ATTACHMENT_KEY in r.content))
      .map((r) => r.content.body)
      .filter((b) => b !== undefined);
    expect(bodies.at(-1)).toMatch(
      /^📎 tearline-usa-jtf-\d{8}T\d{4}Z\.cot: 2 of this room's sightings \(1 received\) · last 24h · up to TLP:AMBER\./,
    );
    const [file] = await exported(USA_JTF);
    expect(file!.text.trim().split("\n")).toHaveLength(2);
    expect(file!.text).not.toContain("S-4");
    const audit = await db.sql<{ actor: string; detail: Record<string, unknown> }[]>`
      select actor, detail from audit_log where action = 'export.created'`;
    expect(audit).toEqual([
      { actor: HAYES, detail: expect.objectContaining({ format: "cot", count: 2, total: 2 }) },
    ]);
  });

  it("sends the queued file as an encrypted m.file whose plaintext is the queued text", async () => {
    await relayOne();
    await say(SMITH, "!export csv", USA_JTF);
    const [row] = await db.sql<{ content: Record<string, unknown> }[]>`
      select content from outbox where content ? ${ATTACHMENT_KEY}`;
    const stored = new Map<string, Uint8Array>();
    const media = {
      async upload(bytes: Uint8Array) {
        const uri = `mxc://x/m${stored.size}`;
        stored.set(uri, new Uint8Array(bytes));
        return uri;
      },
      async download(mxc: string) {
        return stored.get(mxc)!;
      },
    };
    const content = await materialise(media, row!.content[ATTACHMENT_KEY]);
    expect(content).toMatchObject({ msgtype: "m.file", info: { mimetype: "text/csv" } });
    expect(content.url).toBeUndefined();
    const queued = (row!.content[ATTACHMENT_KEY] as ExportRow).text;
    expect(Buffer.from([...stored.values()][0]!).toString("utf8")).not.toContain("SIN NOMBRE");
    expect((await downloadDecrypted(media, content.file)).toString("utf8")).toBe(queued);
  });

  it("refuses a bad format or filter with an example, and someone from outside the room's partners", async () => {
    await say(SMITH, "!export kml", USA_JTF);
    await say(SMITH, "!export csv text=boat", USA_JTF);
    await say(ROJAS, "!export csv", USA_JTF);
    const bodies = (
      await db.sql<
        { content: { body?: string } }[]
      >`select content from outbox where event_type = 'm.room.message' order by id`
    ).map((r) => r.content.body);
    expect(bodies[0]).toContain('"kml" is not an export format: cot, stix, csv.');
    expect(bodies[0]).toContain("Example: !export csv since=7d");
    expect(bodies[1]).toContain('"text=" is not an option of !export. Options: since, kind, near, radius.');
    expect(bodies[2]).toContain("I only act on commands from its partners here");
    expect(await exported(USA_JTF)).toEqual([]);
  });

  it("writes the same file from the command line (tearline export), and audits it", async () => {
    await relayOne();
    await say(SMITH, "!export stix", USA_JTF);
    const [chat] = await exported(USA_JTF);
    const dir = await mkdtemp(join(tmpdir(), "tearline-export-"));
    try {
      const configPath = join(dir, "tearline.yaml");
      await writeFile(configPath, stringify(CONFIG_FILE));
      const out = join(dir, "out.json");
      const err: string[] = [];
      const io = { stdout: () => {}, stderr: (t: string) => void err.push(t), now: () => now };
      const env = { databaseUrl: db.url, dataDir: join(dir, "data"), configPath };
      const argv = ["--room", "usa-jtf", "--format", "stix", "--since", "24h", "--out", out];
      expect(await exportCli(argv, env, io)).toBe(0);
      expect(await readFile(out, "utf8")).toBe(chat!.text);
      expect((await stat(out)).mode & 0o077).toBe(0);
      const printed: string[] = [];
      const csvArgs = ["--room", "col-usa", "--format", "csv", "--kind", "vessel"];
      expect(await exportCli(csvArgs, env, { ...io, stdout: (t) => void printed.push(t) })).toBe(0);
      expect(printed.join("")).toContain(SECRET_REMARKS);
      expect(await exportCli(["--room", "nowhere", "--format", "csv"], env, io)).toBe(2);
      expect(await exportCli(["--room", "usa-jtf", "--format", "kml"], env, io)).toBe(2);
      expect(err.join("")).toContain('"nowhere" is not a room of');
      expect(err.join("")).toContain('"kml" is not an export format');
      const audit = await db.sql<
        { actor: string }[]
      >`select actor from audit_log where action = 'export.created' order by id`;
      expect(audit.map((a) => a.actor)).toEqual([SMITH, CLI_ACTOR, CLI_ACTOR]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
