import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readBaseEnv, readEnv } from "../../src/config/env.ts";
import { formatConfigErrors, loadConfig, parseConfigText } from "../../src/config/load.ts";
import { hasRole, memberOf, roomAliasFor } from "../../src/config/lookup.ts";
import type { TearlineConfig } from "../../src/config/schema.ts";
import { configFacts } from "../../src/bot/configDirectory.ts";

/** The illustrative tearline.yaml from design §6, verbatim. */
const DESIGN_YAML = `partners: { COL: { name: Colombian Navy }, USA: { name: US Coast Guard }, JTF: { name: Joint Task Force } }
rooms:
  col-usa: { room: "!abc:example.org", partners: [COL, USA], digest: { cron: "0 6 * * *", tz: America/Bogota } }
  usa-jtf: { room: "!def:example.org", partners: [USA, JTF] }
roster:
  "@lo.col:example.org": { partner: COL, roles: [liaison] }
  "@do.usa:example.org": { partner: USA, roles: [duty_officer, approver] }
sharing:
  - from: col-usa
    to: usa-jtf
    kinds: [sighting, rfi, text]
    max_tlp: amber            # anything above is never relayed
    approval: { role: approver, count: 1, not_requester: true, expires: 24h }   # or: auto
    redact: [reporter, remarks]                                   # fields removed at the tearline
    position_precision: 10km                                      # positions coarsened for the target
    forward: false                                                # relayed copies not alerted onward
`;

function parsed(text: string): TearlineConfig {
  const result = parseConfigText(text, "tearline.yaml");
  if (!result.ok) throw new Error(formatConfigErrors(result.errors));
  return result.config;
}

/** DESIGN_YAML with one edit; the edited text must occur exactly once so the case stays honest. */
function edited(from: string, to: string): string {
  expect(DESIGN_YAML.split(from)).toHaveLength(2);
  return DESIGN_YAML.replace(from, to);
}

function errorLines(text: string): string[] {
  const result = parseConfigText(text, "tearline.yaml");
  if (result.ok) return [];
  return formatConfigErrors(result.errors).split("\n");
}

describe("tearline.yaml", () => {
  it("accepts the illustrative configuration from the design and fills in defaults", () => {
    const config = parsed(DESIGN_YAML);
    expect(config.prefix).toBe("!");
    expect(Object.keys(config.partners)).toEqual(["COL", "USA", "JTF"]);
    expect(config.rooms["col-usa"]).toEqual({
      room: "!abc:example.org",
      partners: ["COL", "USA"],
      digest: { cron: "0 6 * * *", tz: "America/Bogota", grace: 6 * 3_600_000 },
      lang: "en",
    });
    expect(config.sharing[0]).toEqual({
      from: "col-usa",
      to: "usa-jtf",
      kinds: ["sighting", "rfi", "text"],
      max_tlp: "amber",
      approval: { role: "approver", count: 1, not_requester: true, expires: 86_400_000 },
      redact: ["reporter", "remarks"],
      position_precision: 10_000,
      forward: false,
    });
    expect(config.corroboration).toEqual({ window_hours: 6, distance_nm: 30 });
    expect(config.trust).toEqual({ only_cross_signed: false, ignore_unverified: false });
  });

  it("accepts room IDs of every room version: !opaque (v12, no server part) and !opaque:server", () => {
    const v12 = "!j0VKTSAuGHXMzVpV_GfT6s46fHw7fH-dbw7-A-nnv6o";
    const config = parsed(edited('"!def:example.org"', `"${v12}"`));
    expect(config.rooms["usa-jtf"]?.room).toBe(v12);
    expect(config.rooms["col-usa"]?.room).toBe("!abc:example.org");
    expect(roomAliasFor(config, v12)).toBe("usa-jtf");
    expect(parsed(edited('"!def:example.org"', '"!def:[2001:db8::1]:8448"')).rooms["usa-jtf"]?.room).toBe(
      "!def:[2001:db8::1]:8448",
    );
  });

  it("accepts every optional setting", () => {
    const config = parsed(`prefix: "?"
partners: { COL: { name: Colombian Navy }, USA: { name: US Coast Guard } }
rooms:
  col-usa: { room: "!abc:example.org:8448", partners: [COL, USA], digest: { cron: "0 6 * * mon-fri" }, lang: es }
  usa: { room: "!def:example.org", partners: [USA] }
roster:
  "@lo.col:example.org": { partner: COL, roles: [liaison], name: "Lt. Rojas" }
sharing:
  - { from: col-usa, to: usa, kinds: [sighting], max_tlp: green, approval: auto, redact: [position], forward: true }
  - { from: usa, to: col-usa, kinds: [rfi], max_tlp: amber, approval: { role: duty_officer } }
corroboration: { window_hours: 12 }
trust: { only_cross_signed: true }
`);
    expect(config.prefix).toBe("?");
    expect(config.rooms["col-usa"]?.digest).toEqual({
      cron: "0 6 * * mon-fri",
      tz: "UTC",
      grace: 6 * 3_600_000,
    });
    expect(config.rooms["col-usa"]?.lang).toBe("es");
    expect(config.sharing[0]).toMatchObject({ approval: "auto", redact: ["position"], forward: true });
    expect(config.sharing[1]?.approval).toEqual({
      role: "duty_officer",
      count: 1,
      not_requester: true,
      expires: 86_400_000,
    });
    expect(config.sharing[1]).toMatchObject({ forward: false });
    expect(config.sharing[1]).not.toHaveProperty("position_precision");
    expect(config.corroboration).toEqual({ window_hours: 12, distance_nm: 30 });
    expect(config.trust).toEqual({ only_cross_signed: true, ignore_unverified: false });
  });

  const TLP_ALLOWED = "allowed: clear, green, amber, amber+strict, red";
  const broken: { name: string; from: string; to: string; errors: string[] }[] = [
    {
      name: "a TLP marking that does not exist",
      from: "max_tlp: amber",
      to: "max_tlp: orange",
      errors: [`tearline.yaml:12:14 sharing[0].max_tlp: "orange" is not a TLP marking; ${TLP_ALLOWED}`],
    },
    {
      name: "a misspelt key, which is both unknown and leaves a required key missing",
      from: "max_tlp: amber",
      to: "max_tpl: amber",
      errors: [
        `tearline.yaml:9:5 sharing[0].max_tlp: missing; ${TLP_ALLOWED}`,
        "tearline.yaml:12:5 sharing[0].max_tpl: unknown key; allowed: from, to, kinds, max_tlp, approval, redact, position_precision, forward",
      ],
    },
    {
      name: "a role that does not exist",
      from: "roles: [liaison]",
      to: "roles: [liason]",
      errors: [
        'tearline.yaml:6:50 roster["@lo.col:example.org"].roles[0]: "liason" is not a role; allowed: liaison, duty_officer, approver, commander, operator',
      ],
    },
    {
      name: "a room partner missing from partners",
      from: "partners: [USA, JTF]",
      to: "partners: [USA, NOR]",
      errors: [
        'tearline.yaml:4:56 rooms.usa-jtf.partners[1]: "NOR" is not a partner; defined partners: COL, USA, JTF',
      ],
    },
    {
      name: "a roster partner missing from partners",
      from: "{ partner: COL,",
      to: "{ partner: BRA,",
      errors: [
        'tearline.yaml:6:37 roster["@lo.col:example.org"].partner: "BRA" is not a partner; defined partners: COL, USA, JTF',
      ],
    },
    {
      name: "a sharing rule to a room that is not defined",
      from: "to: usa-jtf",
      to: "to: usa-jft",
      errors: ['tearline.yaml:10:9 sharing[0].to: "usa-jft" is not a room; defined rooms: col-usa, usa-jtf'],
    },
    {
      name: "a sharing rule from a room to itself",
      from: "to: usa-jtf",
      to: "to: col-usa",
      errors: ['tearline.yaml:10:9 sharing[0].to: "col-usa" is also "from"; a rule relays to another room'],
    },
    {
      name: "a room ID without its sigil",
      from: '"!def:example.org"',
      to: '"def:example.org"',
      errors: [
        'tearline.yaml:4:20 rooms.usa-jtf.room: "def:example.org" is not a Matrix room ID; expected "!opaque" (room version 12) or "!opaque:server", as the room\'s settings show it',
      ],
    },
    {
      name: "a room version 12 ID cut short when it was copied",
      from: '"!def:example.org"',
      to: '"!j0VKTSAuGHXMzVpV_GfT6s46fHw7fH-dbw7-A-nnv6"',
      errors: [
        'tearline.yaml:4:20 rooms.usa-jtf.room: "!j0VKTSAuGHXMzVpV_GfT6s46fHw7fH-dbw7-A-nnv6" is not a Matrix room ID; expected "!opaque" (room version 12) or "!opaque:server", as the room\'s settings show it',
      ],
    },
    {
      name: "an unquoted room version 12 ID, which YAML reads as a tag",
      from: '"!def:example.org"',
      to: "!j0VKTSAuGHXMzVpV_GfT6s46fHw7fH-dbw7-A-nnv6o",
      errors: [
        'tearline.yaml:4:20 Unresolved tag: !j0VKTSAuGHXMzVpV_GfT6s46fHw7fH-dbw7-A-nnv6o; quote values that start with "!", e.g. "!abc:example.org"',
      ],
    },
    {
      name: "an unquoted room ID, which YAML reads as a tag",
      from: '"!def:example.org"',
      to: "!def:example.org",
      errors: [
        'tearline.yaml:4:20 Unresolved tag: !def:example.org; quote values that start with "!", e.g. "!abc:example.org"',
      ],
    },
    {
      name: "one Matrix room under two aliases",
      from: '"!def:example.org"',
      to: '"!abc:example.org"',
      errors: ['tearline.yaml:4:20 rooms.usa-jtf.room: "!abc:example.org" is already the room of col-usa'],
    },
    {
      name: "a cron expression with four fields",
      from: '"0 6 * * *"',
      to: '"0 6 * *"',
      errors: [
        'tearline.yaml:3:78 rooms.col-usa.digest.cron: "0 6 * *" has 4 fields; a cron expression has 5 (minute hour day-of-month month day-of-week), e.g. "0 6 * * *"',
      ],
    },
    {
      name: "a cron expression with an hour out of range",
      from: '"0 6 * * *"',
      to: '"0 25 * * *"',
      errors: [
        'tearline.yaml:3:78 rooms.col-usa.digest.cron: "0 25 * * *" is not a valid cron expression: hour "25" is out of range or malformed (minute hour day-of-month month day-of-week)',
      ],
    },
    {
      name: "a digest grace that is not a period",
      from: "tz: America/Bogota",
      to: "tz: America/Bogota, grace: soon",
      errors: ['tearline.yaml:3:118 rooms.col-usa.digest.grace: "soon" is not a period; e.g. 30m, 24h, 7d'],
    },
    {
      name: "a cron expression node-cron reads but the digest matcher does not",
      from: '"0 6 * * *"',
      to: '"0 6 * * 1#2"',
      errors: [
        'tearline.yaml:3:78 rooms.col-usa.digest.cron: "0 6 * * 1#2": the day of week field "1#2" is not a number or a name (SUN, MON, TUE…), range or step. e.g. "0 6 * * *"',
      ],
    },
    {
      name: "a time zone that is not in the IANA database",
      from: "tz: America/Bogota",
      to: "tz: America/Bogata",
      errors: [
        'tearline.yaml:3:95 rooms.col-usa.digest.tz: "America/Bogata" is not an IANA time zone; e.g. America/Bogota, Europe/Madrid, UTC',
      ],
    },
    {
      name: "an approval that is neither auto nor a quorum",
      from: "approval: { role: approver, count: 1, not_requester: true, expires: 24h }",
      to: "approval: manual",
      errors: [
        'tearline.yaml:13:15 sharing[0].approval: "manual" is not an approval; use "auto" or a mapping { role, count, not_requester, expires }',
      ],
    },
    {
      name: "a quorum of zero",
      from: "count: 1",
      to: "count: 0",
      errors: ["tearline.yaml:13:40 sharing[0].approval.count: must be at least 1"],
    },
    {
      name: "yes for a boolean (YAML 1.2 reads it as text)",
      from: "not_requester: true",
      to: "not_requester: yes",
      errors: ['tearline.yaml:13:58 sharing[0].approval.not_requester: expected true or false, got "yes"'],
    },
    {
      name: "an expiry that is not a period",
      from: "expires: 24h",
      to: "expires: 1 day",
      errors: ['tearline.yaml:13:73 sharing[0].approval.expires: "1 day" is not a period; e.g. 30m, 24h, 7d'],
    },
    {
      name: "an expiry without a unit",
      from: "expires: 24h",
      to: "expires: 24",
      errors: ["tearline.yaml:13:73 sharing[0].approval.expires: 24 is not a period; e.g. 30m, 24h, 7d"],
    },
    {
      name: "a position precision that is not a distance",
      from: "position_precision: 10km",
      to: 'position_precision: "10 kms"',
      errors: [
        'tearline.yaml:15:25 sharing[0].position_precision: "10 kms" is not a distance; e.g. 10km, 500m, 5nm',
      ],
    },
    {
      name: "a position precision without a unit",
      from: "position_precision: 10km",
      to: "position_precision: 10",
      errors: [
        "tearline.yaml:15:25 sharing[0].position_precision: 10 is not a distance; e.g. 10km, 500m, 5nm",
      ],
    },
    {
      name: "forward that is not true or false",
      from: "forward: false",
      to: "forward: never",
      errors: ['tearline.yaml:16:14 sharing[0].forward: expected true or false, got "never"'],
    },
    {
      name: "a list of targets with one that is not defined",
      from: "to: usa-jtf",
      to: "to: [usa-jtf, usa-jft]",
      errors: [
        'tearline.yaml:10:19 sharing[0].to[1]: "usa-jft" is not a room; defined rooms: col-usa, usa-jtf',
      ],
    },
    {
      name: "a list of targets that includes the source room",
      from: "to: usa-jtf",
      to: "to: [usa-jtf, col-usa]",
      errors: [
        'tearline.yaml:10:19 sharing[0].to[1]: "col-usa" is also "from"; a rule relays to another room',
      ],
    },
    {
      name: "an empty list of targets",
      from: "to: usa-jtf",
      to: "to: []",
      errors: ["tearline.yaml:10:9 sharing[0].to: must list at least 1 item"],
    },
    {
      name: "a target that is not a room alias",
      from: "to: usa-jtf",
      to: "to: USA-JTF",
      errors: [
        'tearline.yaml:10:9 sharing[0].to: "USA-JTF" is not a room alias; use lowercase letters, digits and "-", e.g. col-usa',
      ],
    },
    {
      name: "a target that is neither a room alias nor a list",
      from: "to: usa-jtf",
      to: "to: { room: usa-jtf }",
      errors: [
        "tearline.yaml:10:9 sharing[0].to: a mapping is not a room alias or a list of them; e.g. usa-jtf or [usa-jtf, col-pan]",
      ],
    },
    {
      name: "a roster key that is not a Matrix user ID",
      from: '"@lo.col:example.org"',
      to: '"lo.col"',
      errors: [
        'tearline.yaml:6:3 roster["lo.col"]: "lo.col" is not a Matrix user ID; expected "@localpart:server", e.g. "@lo.col:example.org"',
      ],
    },
    {
      name: "a field that cannot be redacted",
      from: "[reporter, remarks]",
      to: "[reporter, remarks, photo]",
      errors: [
        'tearline.yaml:14:33 sharing[0].redact[2]: "photo" is not a field that can be redacted; allowed: reporter, remarks, name, identifiers, position, course, speed, grading',
      ],
    },
    {
      name: "a lowercase partner code, and the references it breaks",
      from: "COL: { name: Colombian Navy }",
      to: "col: { name: Colombian Navy }",
      errors: [
        'tearline.yaml:1:13 partners.col: "col" is not a partner code; use 2–8 uppercase letters or digits, e.g. COL',
        'tearline.yaml:3:51 rooms.col-usa.partners[0]: "COL" is not a partner; defined partners: USA, JTF',
        'tearline.yaml:6:37 roster["@lo.col:example.org"].partner: "COL" is not a partner; defined partners: USA, JTF',
      ],
    },
    {
      name: "an unclosed flow sequence",
      from: "kinds: [sighting, rfi, text]",
      to: "kinds: [sighting, rfi, text",
      errors: [
        "tearline.yaml:12:5 invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
      ],
    },
    {
      name: "a section written twice",
      from: "roster:",
      to: "rooms:\nroster:",
      errors: ["tearline.yaml:5:1 invalid YAML: Map keys must be unique"],
    },
    {
      name: "a prefix with a space in it",
      from: "roster:",
      to: 'prefix: "! "\nroster:',
      errors: [
        'tearline.yaml:5:9 prefix: "! " is not a command prefix; use 1–8 non-space characters, e.g. "!"',
      ],
    },
    {
      name: "an unknown top-level section",
      from: "roster:",
      to: "rosters: {}\nroster:",
      errors: [
        "tearline.yaml:5:1 rosters: unknown key; allowed: prefix, partners, rooms, roster, sharing, corroboration, trust",
      ],
    },
  ];

  it.each(broken)("rejects $name", ({ from, to, errors }) => {
    expect(errorLines(edited(from, to))).toEqual(errors);
  });

  it("reports every problem in one run, in file order", () => {
    const text = edited("max_tlp: amber", "max_tlp: orange").replace("tz: America/Bogota", "tz: Nowhere");
    expect(errorLines(text)).toEqual([
      'tearline.yaml:3:95 rooms.col-usa.digest.tz: "Nowhere" is not an IANA time zone; e.g. America/Bogota, Europe/Madrid, UTC',
      `tearline.yaml:12:14 sharing[0].max_tlp: "orange" is not a TLP marking; ${TLP_ALLOWED}`,
    ]);
  });

  it("names the required sections of an empty file", () => {
    expect(errorLines("# nothing yet\n")).toEqual([
      "tearline.yaml:1:1 partners: missing; expected a mapping (key: value)",
      "tearline.yaml:1:1 rooms: missing; expected a mapping (key: value)",
    ]);
  });

  it("returns structured errors with file, path, line and column", () => {
    const result = parseConfigText(edited("max_tlp: amber", "max_tlp: orange"), "conf/tearline.yaml");
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          file: "conf/tearline.yaml",
          path: "sharing[0].max_tlp",
          line: 12,
          column: 14,
          message: `"orange" is not a TLP marking; ${TLP_ALLOWED}`,
        },
      ],
    });
  });

  it("says which path was missing and how to point at the right one", async () => {
    const path = join(tmpdir(), "tearline-no-such-dir", "tearline.yaml");
    const result = await loadConfig(path);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(formatConfigErrors(result.errors)).toBe(
      `${path}: no configuration file at ${path}; set TEARLINE_CONFIG to the path of tearline.yaml`,
    );
  });
});

describe("tearline.yaml warnings", () => {
  const warnings = (text: string) => {
    const result = parseConfigText(text, "tearline.yaml");
    if (!result.ok) throw new Error(formatConfigErrors(result.errors));
    return formatConfigErrors(result.warnings);
  };
  const NEVER = "TLP:RED and TLP:AMBER+STRICT never leave their room; this rule can never relay them";

  it.each(["red", "amber+strict"])("accepts a rule up to %s but warns that it can never relay it", (tlp) => {
    expect(warnings(edited("max_tlp: amber", `max_tlp: ${tlp}`))).toBe(
      `tearline.yaml:12:14 sharing[0].max_tlp: ${NEVER} (it relays up to TLP:AMBER)`,
    );
  });

  it("has nothing to say about a rule up to amber", () => {
    expect(warnings(DESIGN_YAML)).toBe("");
  });
});

describe("sharing facts for commands", () => {
  const facts = (sharing: string) =>
    configFacts(
      parsed(
        edited("roster:", '  col-pan: { room: "!pan:example.org", partners: [COL] }\nroster:').replace(
          /sharing:[\s\S]*/,
          sharing,
        ),
      ),
    ).sharing;

  it("carries the whole rule, with durations and distances in milliseconds and metres", () => {
    expect(configFacts(parsed(DESIGN_YAML)).sharing).toEqual([
      {
        name: "col-usa→usa-jtf",
        from: "col-usa",
        to: "usa-jtf",
        kinds: ["sighting", "rfi", "text"],
        maxTlp: "amber",
        approval: { role: "approver", count: 1, notRequester: true, expiresMs: 24 * 3_600_000 },
        redact: ["reporter", "remarks"],
        positionPrecisionM: 10_000,
        forward: false,
      },
    ]);
  });

  it("expands a rule with several targets into one fact per target, and numbers repeated pairs", () => {
    const rules = facts(`sharing:
  - { from: col-usa, to: [usa-jtf, col-pan], kinds: [text], max_tlp: green, approval: auto, position_precision: 5nm }
  - { from: col-usa, to: col-pan, kinds: [sighting], max_tlp: amber, approval: { role: approver, count: 2, expires: 30m } }
`);
    expect(rules.map((r) => [r.name, r.to, r.kinds])).toEqual([
      ["col-usa→usa-jtf", "usa-jtf", ["text"]],
      ["col-usa→col-pan", "col-pan", ["text"]],
      ["col-usa→col-pan#2", "col-pan", ["sighting"]],
    ]);
    expect(rules[0]?.positionPrecisionM).toBe(5 * 1852);
    expect(rules[2]?.approval).toEqual({
      role: "approver",
      count: 2,
      notRequester: true,
      expiresMs: 1_800_000,
    });
  });
});

describe("config lookups", () => {
  const config = parsed(DESIGN_YAML);

  it("finds the alias of a configured room and nothing for others", () => {
    expect(roomAliasFor(config, "!def:example.org")).toBe("usa-jtf");
    expect(roomAliasFor(config, "!zzz:example.org")).toBeUndefined();
  });

  it("finds a member's partner and roles, and whether they hold a role", () => {
    expect(memberOf(config, "@do.usa:example.org")).toEqual({
      partner: "USA",
      roles: ["duty_officer", "approver"],
    });
    expect(memberOf(config, "@stranger:example.org")).toBeUndefined();
    expect(memberOf(config, "constructor")).toBeUndefined();
    expect(hasRole(config, "@do.usa:example.org", "approver")).toBe(true);
    expect(hasRole(config, "@lo.col:example.org", "approver")).toBe(false);
    expect(hasRole(config, "@stranger:example.org", "liaison")).toBe(false);
  });
});

describe("environment", () => {
  const minimal = {
    TEARLINE_HOMESERVER_URL: "https://matrix.example.org/",
    TEARLINE_USER_ID: "@tearline:example.org",
    TEARLINE_PASSWORD: "hunter2-secret",
    TEARLINE_STORE_PASSPHRASE: "store-secret",
  };
  const noFiles = (path: string): string => {
    throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
  };

  it("reads a minimal environment and fills in defaults", () => {
    expect(readEnv(minimal, noFiles)).toEqual({
      ok: true,
      env: {
        homeserverUrl: "https://matrix.example.org",
        userId: "@tearline:example.org",
        password: "hunter2-secret",
        accessToken: undefined,
        storePassphrase: "store-secret",
        databaseUrl: undefined,
        dataDir: "./.tearline",
        configPath: "./tearline.yaml",
        logLevel: "info",
        deviceName: undefined,
        syncTimelineLimit: 50,
        syncMaxBackfill: 1000,
        fault: undefined,
        http: { host: "127.0.0.1", port: 8787 },
      },
    });
  });

  it.each([
    ["0.0.0.0:8787", { host: "0.0.0.0", port: 8787 }],
    ["127.0.0.1:0", { host: "127.0.0.1", port: 0 }],
    ["localhost:9100", { host: "localhost", port: 9100 }],
    ["[::1]:8787", { host: "::1", port: 8787 }],
  ])("reads TEARLINE_HTTP_ADDR=%s", (value, http) => {
    expect(readEnv({ ...minimal, TEARLINE_HTTP_ADDR: value }, noFiles)).toMatchObject({
      ok: true,
      env: { http },
    });
  });

  it.each(["8787", "127.0.0.1", "127.0.0.1:65536", "http://127.0.0.1:8787", "::1:8787", "host:port"])(
    "refuses TEARLINE_HTTP_ADDR=%s with an example",
    (value) => {
      expect(readEnv({ ...minimal, TEARLINE_HTTP_ADDR: value }, noFiles)).toEqual({
        ok: false,
        errors: [
          `TEARLINE_HTTP_ADDR=${JSON.stringify(value)} is not host:port (port 0–65535; IPv6 in brackets); e.g. TEARLINE_HTTP_ADDR=0.0.0.0:8787, or the default 127.0.0.1:8787`,
        ],
      });
    },
  );

  it("reads the password, the access token and the database URL from files (Docker secrets)", () => {
    const files: Record<string, string> = {
      "/run/secrets/pw": "file-password\n",
      "/run/secrets/db": "postgres://tearline:db-secret@postgres:5432/tearline\n",
    };
    const read = (path: string) => files[path] ?? noFiles(path);
    const env = {
      ...minimal,
      TEARLINE_PASSWORD: undefined,
      TEARLINE_PASSWORD_FILE: "/run/secrets/pw",
      DATABASE_URL_FILE: "/run/secrets/db",
    };
    expect(readEnv(env, read)).toMatchObject({
      ok: true,
      env: { password: "file-password", databaseUrl: "postgres://tearline:db-secret@postgres:5432/tearline" },
    });
    expect(readBaseEnv({ DATABASE_URL_FILE: "/run/secrets/db" }, read)).toMatchObject({
      ok: true,
      env: { databaseUrl: "postgres://tearline:db-secret@postgres:5432/tearline" },
    });
    const broken = readEnv({ ...minimal, TEARLINE_ACCESS_TOKEN_FILE: "/run/secrets/token" }, read);
    expect(broken).toEqual({
      ok: false,
      errors: ["TEARLINE_ACCESS_TOKEN_FILE=/run/secrets/token cannot be read (ENOENT)"],
    });
    const both = readEnv({ ...minimal, TEARLINE_PASSWORD_FILE: "/run/secrets/pw" }, read);
    expect(both).toEqual({
      ok: false,
      errors: ["TEARLINE_PASSWORD and TEARLINE_PASSWORD_FILE are both set; set only one"],
    });
    const badUrl = readBaseEnv({ DATABASE_URL_FILE: "/run/secrets/pw" }, read);
    expect(JSON.stringify(badUrl)).not.toContain("file-password");
    expect(badUrl.ok).toBe(false);
  });

  it("reads the crash tests' knobs, and refuses a timeline limit that is not a count", () => {
    expect(
      readEnv(
        { ...minimal, TEARLINE_SYNC_TIMELINE_LIMIT: "5", TEARLINE_FAULT: "crash-after-sent:3" },
        noFiles,
      ),
    ).toMatchObject({ ok: true, env: { syncTimelineLimit: 5, fault: "crash-after-sent:3" } });
    expect(readEnv({ ...minimal, TEARLINE_SYNC_TIMELINE_LIMIT: "0" }, noFiles)).toEqual({
      ok: false,
      errors: [
        'TEARLINE_SYNC_TIMELINE_LIMIT="0" is not a whole number from 1 to 9999; e.g. TEARLINE_SYNC_TIMELINE_LIMIT=50',
      ],
    });
  });

  it("reads the test clock for digests, and refuses one without a zone", () => {
    expect(
      readEnv({ ...minimal, TEARLINE_TEST_RUN_DIGESTS_AT: "2026-11-28T11:00:00Z" }, noFiles),
    ).toMatchObject({
      ok: true,
      env: { testRunDigestsAt: new Date("2026-11-28T11:00:00Z") },
    });
    expect(readEnv({ ...minimal, TEARLINE_TEST_RUN_DIGESTS_AT: "2026-11-28 11:00" }, noFiles)).toEqual({
      ok: false,
      errors: [
        'TEARLINE_TEST_RUN_DIGESTS_AT="2026-11-28 11:00" is not an ISO 8601 instant with a zone (it is for tests only); e.g. TEARLINE_TEST_RUN_DIGESTS_AT=2026-11-28T11:00:00Z',
      ],
    });
  });

  it("reads what migrate and check-config need without asking for what only run needs", () => {
    expect(readBaseEnv({})).toEqual({
      ok: true,
      env: {
        databaseUrl: undefined,
        dataDir: "./.tearline",
        configPath: "./tearline.yaml",
        logLevel: "info",
      },
    });
    expect(readBaseEnv({ DATABASE_URL: "mysql://x", TEARLINE_LOG_LEVEL: "loud" })).toEqual({
      ok: false,
      errors: [
        "DATABASE_URL is not a postgres:// URL; e.g. DATABASE_URL=postgres://tearline@127.0.0.1:5432/tearline (or leave it unset for the embedded database)",
        'TEARLINE_LOG_LEVEL="loud" is not a log level; allowed: debug, info, warn, error',
      ],
    });
  });

  it("accepts an access token instead of a password, and the optional settings", () => {
    const result = readEnv(
      {
        ...minimal,
        TEARLINE_PASSWORD: "",
        TEARLINE_ACCESS_TOKEN: "syt_token",
        DATABASE_URL: "postgresql://tearline:pw@db:5432/tearline",
        TEARLINE_CONFIG: "/etc/tearline/tearline.yaml",
        TEARLINE_LOG_LEVEL: "debug",
        TEARLINE_DEVICE_NAME: "Tearline ops",
      },
      noFiles,
    );
    expect(result).toMatchObject({
      ok: true,
      env: {
        password: undefined,
        accessToken: "syt_token",
        databaseUrl: "postgresql://tearline:pw@db:5432/tearline",
        configPath: "/etc/tearline/tearline.yaml",
        logLevel: "debug",
        deviceName: "Tearline ops",
      },
    });
  });

  it("names every missing variable with an example", () => {
    expect(readEnv({}, noFiles)).toEqual({
      ok: false,
      errors: [
        "TEARLINE_HOMESERVER_URL is not set; e.g. TEARLINE_HOMESERVER_URL=https://matrix.example.org",
        "TEARLINE_USER_ID is not set; e.g. TEARLINE_USER_ID=@tearline:example.org",
        "neither TEARLINE_PASSWORD (first start) nor TEARLINE_ACCESS_TOKEN is set; e.g. TEARLINE_PASSWORD=<the bot account's password>",
        'TEARLINE_STORE_PASSPHRASE is not set; e.g. TEARLINE_STORE_PASSPHRASE="$(openssl rand -base64 32)" (or TEARLINE_STORE_PASSPHRASE_FILE=/run/secrets/tearline-store-passphrase); it encrypts the crypto store at rest',
      ],
    });
  });

  it("explains malformed values without echoing secrets", () => {
    const result = readEnv(
      {
        ...minimal,
        TEARLINE_HOMESERVER_URL: "matrix.example.org",
        TEARLINE_USER_ID: "tearline",
        DATABASE_URL: "mysql://root:db-secret@db/tearline",
        TEARLINE_LOG_LEVEL: "verbose",
      },
      noFiles,
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        'TEARLINE_HOMESERVER_URL="matrix.example.org" is not an http(s) URL; e.g. TEARLINE_HOMESERVER_URL=https://matrix.example.org',
        'TEARLINE_USER_ID="tearline" is not a Matrix user ID; e.g. TEARLINE_USER_ID=@tearline:example.org',
        "DATABASE_URL is not a postgres:// URL; e.g. DATABASE_URL=postgres://tearline@127.0.0.1:5432/tearline (or leave it unset for the embedded database)",
        'TEARLINE_LOG_LEVEL="verbose" is not a log level; allowed: debug, info, warn, error',
      ],
    });
    expect(JSON.stringify(result)).not.toMatch(/secret/);
  });

  it("reads the store passphrase from a file, trimmed", () => {
    const files: Record<string, string> = { "/run/secrets/store": "  file-passphrase\n" };
    const result = readEnv(
      {
        ...minimal,
        TEARLINE_STORE_PASSPHRASE: undefined,
        TEARLINE_STORE_PASSPHRASE_FILE: "/run/secrets/store",
      },
      (path) => files[path] ?? noFiles(path),
    );
    expect(result).toMatchObject({ ok: true, env: { storePassphrase: "file-passphrase" } });
  });

  it.each([
    {
      name: "both the passphrase and its file are set",
      env: { ...minimal, TEARLINE_STORE_PASSPHRASE_FILE: "/run/secrets/store" },
      error: "TEARLINE_STORE_PASSPHRASE and TEARLINE_STORE_PASSPHRASE_FILE are both set; set only one",
    },
    {
      name: "the passphrase file cannot be read",
      env: { ...minimal, TEARLINE_STORE_PASSPHRASE: "", TEARLINE_STORE_PASSPHRASE_FILE: "/run/secrets/none" },
      error: "TEARLINE_STORE_PASSPHRASE_FILE=/run/secrets/none cannot be read (ENOENT)",
    },
    {
      name: "the passphrase file is empty",
      env: {
        ...minimal,
        TEARLINE_STORE_PASSPHRASE: "",
        TEARLINE_STORE_PASSPHRASE_FILE: "/run/secrets/empty",
      },
      error: "TEARLINE_STORE_PASSPHRASE_FILE=/run/secrets/empty is empty",
    },
  ])("refuses to start when $name", ({ env, error }) => {
    const result = readEnv(env, (path) => (path === "/run/secrets/empty" ? " \n" : noFiles(path)));
    expect(result).toEqual({ ok: false, errors: [error] });
  });
});
