/**
 * No message makes a command crash, lose data or answer with internals. Each message goes through
 * the real CommandRunner (reader, roster, roles, arguments, the command, its reply and audit), over
 * the in-memory repositories. Its savepoint here undoes nothing, so "a refusal changes nothing"
 * holds of the commands themselves, not only thanks to PostgreSQL's rollback.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { commands } from "../../../commands/index.ts";
import type { AnyCommand, CommandRecord } from "../../../commands/types.ts";
import { type Effects, newEffects } from "../../../src/bot/effects.ts";
import { type CommandMessage, CommandRunner } from "../../../src/bot/runner.ts";
import { readCommand } from "../../../src/domain/reader.ts";
import { createLogger } from "../../../src/log.ts";
import {
  COL_USA,
  COMMANDER,
  contextFor,
  MILLER,
  OTHER_ROOM,
  ROJAS,
  ROSTER,
  SMITH,
  send,
  USA_JTF,
  type World,
  world,
  memoryRunnerStorage,
  type RunnerTx,
  runnerDirectory,
  runtimeAt,
} from "./fakes.ts";

const STRANGER = "@stranger:example.org";
const UP = new Date("2026-11-28T07:00:00Z");
const NOW = new Date("2026-11-28T07:20:00Z");
const runtime = runtimeAt(UP);

type Tx = RunnerTx;
const memoryStorage = memoryRunnerStorage;

/** The commands the runner called for the current message, so an outcome can say how far it got. */
const called = new Set<string>();
const spied: AnyCommand[] = commands.map((c) => ({
  ...c,
  run: (ctx, args) => {
    called.add(c.name);
    return c.run(ctx, args);
  },
  ...(c.edit && {
    edit: (ctx, args, original) => {
      called.add(c.name);
      return c.edit!(ctx, args, original);
    },
  }),
}));

/** What the runner logged at error level: a command that threw ("internal error, reference …"). */
const errors: string[] = [];
const runner = new CommandRunner<Tx>({
  log: createLogger("error", {}, (line) => errors.push(line)),
  directory: runnerDirectory,
  commands: spied,
  runtime,
  now: () => NOW,
  storage: memoryStorage,
});

/** A room with records to act on, so `S-1` and `RFI-1` in the text reach past "not found". */
async function seeded(): Promise<Tx> {
  const w = { ...world(NOW), records: [] };
  const sight = commands.find((c) => c.name === "sight");
  const rfi = commands.find((c) => c.name === "rfi");
  if (sight === undefined || rfi === undefined) throw new Error("sight and rfi are registered");
  await send(sight, '!sight vessel 12.51,-79.17 "SIN NOMBRE" mmsi=367123450', contextFor(w, SMITH));
  await send(rfi, "!rfi ask to=USA -- last known position?", contextFor(w, ROJAS));
  return w;
}

type Outcome = { stage: "refused" | "args" | "run"; ok: boolean; text: string };

/** The replies the runner queued, and how far the message got: refused before, at its arguments, or run. */
function outcome(fx: Effects, ok: boolean): Outcome {
  const text = fx.messages
    .filter((m) => m.eventType === "m.room.message")
    .map((m) => String(m.content.body))
    .join("\n");
  const stage = called.size > 0 ? "run" : /^Usage: /m.test(text) ? "args" : "refused";
  expect(errors, "a command threw (the room saw an internal error)").toEqual([]);
  return { stage, ok, text };
}

/** What the runner says to a new command message. */
async function dispatch(w: Tx, m: CommandMessage): Promise<Outcome> {
  const fx = newEffects();
  called.clear();
  errors.length = 0;
  await runner.run(w, fx, m);
  w.records.push(...fx.commands);
  const ok = fx.messages.some(
    (x) => x.eventType === "m.reaction" && (x.content["m.relates_to"] as { key?: string }).key === "✅",
  );
  return outcome(fx, ok);
}

/** What the runner says to an edit of the message that created `original`. */
async function dispatchEdit(w: Tx, m: CommandMessage, original: CommandRecord): Promise<Outcome> {
  const fx = newEffects();
  called.clear();
  errors.length = 0;
  await runner.edit(w, fx, m, original, "$edit");
  const ok = fx.audit.some((a) => a.action === `command.${original.command}.edit`);
  return outcome(fx, ok);
}

/** Internals that must never reach a room; one only counts if the officer didn't type it (in any case). */
const LEAKS = [
  /\bundefined\b/,
  /\bNaN\b/,
  /\[object \w+\]/,
  /Error:/,
  /^\s*at .+[(/\\]/m,
  /\.(?:ts|js|mjs):\d+/,
  /node:internal|node_modules|file:\/\//,
];
/** A line of an error a person reads (the usage aside); quote() keeps pasted text from flooding it. */
const MAX_ERROR_LINE = 500;

/** Non-empty, no internals, short lines; an argument error (the reader's or the schema's) shows an example. */
function expectFitForRoom(o: Outcome, body: string, sender: string): void {
  expect(o.text.trim().length).toBeGreaterThan(0);
  for (const leak of LEAKS) {
    // Without \b: clipping "NaNx" to "NaN…" in a reply makes a word the officer didn't type whole.
    const typed = new RegExp(leak.source.replaceAll("\\b", ""), "im");
    if (!typed.test(body)) expect(o.text).not.toMatch(leak);
  }
  if (o.ok) return;
  for (const line of o.text.split("\n").filter((l) => !l.startsWith("Usage:")))
    expect(line.length).toBeLessThanOrEqual(MAX_ERROR_LINE);
  const read = readCommand(body, "!");
  // Someone of a partner that does not share this configured room is refused before their words are read.
  const outsider = o.stage === "refused" && o.text.includes("but this room (");
  const unread = ROSTER[sender] !== undefined && !outsider && read !== null && !read.ok;
  if (o.stage === "args" || unread) expect(o.text).toMatch(/\nExample: \S/);
}

const snapshot = (w: World) => structuredClone({ s: w.sightings.rows, r: w.rfis.rows });

const LONG = ["x".repeat(5000), `${"k".repeat(3000)}=1`, "1".repeat(3000), `"${"a ".repeat(2000)}"`];
/** Near misses of what the parsers read, so generated words get past the first check. */
const NEAR_MISSES = `-- 281530ZNOV26 280714ZNOV26 2026-11-28T07:14Z 18PTR12345 18PTR1234567890 12°30'N 079°10'W
  12.51,-79.20 12.5N 79.1W time= tlp= tlp=red tlp=white rel= rel=USA,GBR conf=Z9 conf=B2 course=045
  speed=32kt speed=1e309kt mmsi= imo=9074729 tail=HK-4F2 name= name="" plate= since= since=99999999d
  kind= near= radius=0nm text= priority= ltiov= ltiov=010000ZJAN70 to= to=USA to=usa-jtf S-1 RFI-1
  RFI-0 RFI-99999999999 ask accept defer refer deny answer close list overdue all vessel aircraft
  vesel help !sight sightings -0 NaN Infinity 1e309 -1 99999999999999999999999999999999999999999999`;
const FRAGMENTS = [
  ..."=\"“”'’«»-—–:,.°",
  ...["\u0000", "\u202E", "\u200F", "\u200D", "\uFEFF", "👨‍👩‍👧", "🚤".repeat(1500), "\uD800", "\n", "\t"],
  ...NEAR_MISSES.split(/\s+/),
];
const KEYS = "time tlp rel conf name mmsi since kind near radius to ltiov priority text xyz".split(" ");

const token: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...FRAGMENTS) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
  {
    weight: 2,
    arbitrary: fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 2, maxLength: 5 }).map((p) => p.join("")),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...KEYS), fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...LONG)))
      .map(([k, v]) => `${k}=${v}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom('"', "“", "'", "«"),
        fc.string({ maxLength: 12 }),
        fc.constantFrom('"', "”", "'", "»", ""),
      )
      .map(([a, s, b]) => `${a}${s}${b}`),
  },
  { weight: 1, arbitrary: fc.bigInt().map(String) },
  { weight: 1, arbitrary: fc.constantFrom(...LONG) },
);

/** The command's name, then a mutated example of it (or nothing of it), with tokens spliced in. */
function messageFor(c: AnyCommand): fc.Arbitrary<string> {
  const bases = [[], ...c.examples.map((e) => e.split(" ").slice(1))];
  return fc
    .record({
      base: fc.constantFrom(...bases),
      drop: fc.nat(8),
      at: fc.nat(12),
      tokens: fc.array(token, { maxLength: 8 }),
      gap: fc.constantFrom(" ", "  ", "\t", " \n "),
      name: fc.constantFrom(c.name, c.name.toUpperCase()),
    })
    .map(({ base, drop, at, tokens, gap, name }) => {
      const words = base.filter((_, i) => i !== drop);
      const i = at % (words.length + 1);
      return `!${name} ${[...words.slice(0, i), ...tokens, ...words.slice(i)].join(gap)}`;
    });
}

const message = (body: string, sender: string, roomId: string): CommandMessage => ({
  eventId: "$event",
  roomId,
  sender,
  body,
  sentAt: new Date("2026-11-28T07:15:00Z"),
});
const senders = fc.constantFrom(ROJAS, SMITH, MILLER, COMMANDER, STRANGER);
const rooms = fc.constantFrom(COL_USA, USA_JTF, OTHER_ROOM);

describe("no message crashes a command or reaches the room as internals", () => {
  it.each(commands.map((c) => [c.name, c] as const))(
    "!%s: any words either succeed or get a specific error; a refusal changes nothing",
    async (_, command) => {
      await fc.assert(
        fc.asyncProperty(messageFor(command), senders, rooms, async (body, sender, roomId) => {
          const w = await seeded();
          const before = snapshot(w);
          const outcome = await dispatch(w, message(body, sender, roomId));
          expectFitForRoom(outcome, body, sender);
          if (!outcome.ok) expect(snapshot(w)).toEqual(before);
          if (outcome.stage === "refused" && ROSTER[sender] === undefined)
            expect(outcome.text).toContain("not on Tearline's roster");
        }),
        { numRuns: 300 },
      );
    },
  );

  const editable = commands.filter((c) => c.edit !== undefined);
  const originals: Record<string, string> = {
    sight: '!sight vessel 12.51,-79.17 "GO FAST 1" time=280714ZNOV26 -- two outboards',
    rfi: "!rfi ask priority=immediate to=USA -- where is GO FAST 1?",
  };

  it("covers every command that can be corrected by an edit", () => {
    expect(editable.map((c) => c.name).sort()).toEqual(Object.keys(originals).sort());
  });

  it.each(editable.map((c) => [c.name, c] as const))(
    "!%s edits: any new words either correct the record or leave it exactly as it was, with a specific error",
    async (name, command) => {
      await fc.assert(
        fc.asyncProperty(messageFor(command), fc.constantFrom(ROJAS, SMITH), async (body, sender) => {
          const w = await seeded();
          const created = await dispatch(w, message(originals[name] ?? "", sender, COL_USA));
          const original = w.records[0];
          if (!created.ok || original === undefined)
            throw new Error(`the original !${name} made no record: ${created.text}`);
          const before = snapshot(w);
          const outcome = await dispatchEdit(w, message(body, sender, COL_USA), original);
          expectFitForRoom(outcome, body, sender);
          if (!outcome.ok) expect(snapshot(w)).toEqual(before);
        }),
        { numRuns: 300 },
      );
    },
  );
});
