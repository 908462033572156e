/** Reading `!rfi <action> …` words. */
import { formatDtg, parseTime } from "../src/domain/dtg.ts";
import { parseRef } from "../src/domain/refs.ts";
import {
  didYouMean,
  didYouMeanText,
  type ErrorText,
  err,
  exampleFor,
  ok,
  quote,
  type Result,
  t as tr,
} from "../src/domain/result.ts";
import { parsePriority, type RfiPriority } from "../src/domain/rfi.ts";
import type { RfiFilter } from "../src/domain/repos.ts";
import type { ArgsEnv, Tokens } from "./types.ts";

/** `to=USA` (a partner) or `to=usa-jtf` (a configured room), checked against the configuration. */
export type AddresseeName = { partner: string } | { room: string };

export type RfiArgs =
  | {
      action: "ask";
      priority: RfiPriority;
      ltiov?: Date | undefined;
      to?: AddresseeName | undefined;
      question: string;
    }
  | { action: "accept" | "defer" | "deny" | "close"; id: number; reason?: string | undefined }
  | { action: "refer"; id: number; to: AddresseeName; reason?: string | undefined }
  | { action: "answer"; id: number; text: string }
  | { action: "list"; filter: RfiFilter };

export const RFI_ACTIONS = ["ask", "accept", "defer", "refer", "deny", "answer", "close", "list"] as const;
const LIST_FILTERS: readonly RfiFilter[] = ["open", "mine", "overdue", "all"];
const MAX_TEXT = 4000;

export function parseAddressee(text: string, env: ArgsEnv): Result<AddresseeName> {
  const word = text.trim();
  // A Matrix room ID (`!opaque` from room version 12, `!opaque:server` before) names a configured room.
  if (word.startsWith("!")) {
    const alias = env.roomIds[word];
    if (alias !== undefined) return ok({ room: alias });
    const rooms = env.roomAliases.length > 0 ? env.roomAliases.join(", ") : tr("e.noneConfigured");
    return err(
      tr("rfi.notRoomId", { input: quote(word, 80), rooms }),
      exampleFor("to", env.roomAliases[0] ?? env.partners[0] ?? "USA"),
      "to",
    );
  }
  const partner = env.partners.find((p) => p === word.toUpperCase());
  if (partner !== undefined) return ok({ partner });
  const room = env.roomAliases.find((r) => r === word.toLowerCase());
  if (room !== undefined) return ok({ room });
  const guess = didYouMean(word, [...env.partners, ...env.roomAliases]);
  const rooms =
    env.roomAliases.length > 0 ? tr("rfi.rooms", { rooms: env.roomAliases.join(", ") }) : undefined;
  return err(
    tr("rfi.notAddressee", {
      input: quote(word),
      partners: env.partners.join(", ") || tr("e.noneConfigured"),
      rooms,
      hint: didYouMeanText(guess, false),
    }),
    exampleFor("to", guess ?? env.partners[0] ?? "USA"),
    "to",
  );
}

function checkOptions(t: Tokens, action: string, allowed: readonly string[]): Result<true> {
  const unknown = Object.keys(t.options).find((k) => !allowed.includes(k));
  if (unknown === undefined) return ok(true);
  const params = {
    option: `"${unknown}="`,
    command: `!rfi ${action}`,
    options: allowed.map((a) => `${a}=`).join(", "),
  };
  return err(tr(allowed.length === 0 ? "options.takesNone" : "options.takes", params));
}

function textOf(rest: string | null, what: ErrorText, example: string): Result<string> {
  if (rest === null) return err(tr("rfi.textMissing", { what }), example);
  if (rest.length > MAX_TEXT)
    return err(tr("rfi.textLong", { what, length: rest.length, max: MAX_TEXT }), example);
  return ok(rest);
}

function parseAsk(t: Tokens, env: ArgsEnv): Result<RfiArgs> {
  const checked = checkOptions(t, "ask", ["priority", "ltiov", "to"]);
  if (!checked.ok) return checked;
  const example =
    '!rfi ask priority=immediate ltiov=281000ZNOV26 to=USA -- last known position of "SIN NOMBRE"?';
  const question = textOf(t.rest, tr("rfi.theQuestion"), example);
  if (!question.ok) return question;
  const priority = parsePriority(t.options.priority ?? "routine");
  if (!priority.ok) return priority;
  let ltiov: Date | undefined;
  if (t.options.ltiov !== undefined) {
    const time = parseTime(t.options.ltiov, env.now, "ltiov");
    if (!time.ok) return time;
    if (+time.value <= +env.now) {
      return err(
        tr("rfi.ltiovPassed", { ltiov: formatDtg(time.value), now: formatDtg(env.now) }),
        exampleFor("ltiov", formatDtg(new Date(+env.now + 6 * 3_600_000))),
        "ltiov",
      );
    }
    ltiov = time.value;
  }
  let to: AddresseeName | undefined;
  if (t.options.to !== undefined) {
    const parsed = parseAddressee(t.options.to, env);
    if (!parsed.ok) return parsed;
    to = parsed.value;
  }
  return ok({ action: "ask", priority: priority.value, ltiov, to, question: question.value });
}

export function parseRfiArgs(t: Tokens, env: ArgsEnv): Result<RfiArgs> {
  const [first, second, ...extra] = t.positional;
  // `!rfi to=USA -- question?` is an ask.
  const action = first?.toLowerCase() ?? (t.rest !== null ? "ask" : undefined);
  if (action === undefined) {
    return err(tr("rfi.sayWhat", { actions: RFI_ACTIONS.join(", ") }), "!rfi ask to=USA -- question?");
  }
  if (!(RFI_ACTIONS as readonly string[]).includes(action)) {
    const guess = didYouMean(action, RFI_ACTIONS);
    return err(
      tr("rfi.notAction", {
        input: quote(first ?? ""),
        actions: RFI_ACTIONS.join(", "),
        hint: didYouMeanText(guess),
      }),
    );
  }
  if (action === "ask") {
    if (second !== undefined) return err(tr("rfi.questionAfter", { input: quote(second) }));
    return parseAsk(t, env);
  }
  if (action === "list") {
    const checked = checkOptions(t, "list", []);
    if (!checked.ok) return checked;
    const filter = LIST_FILTERS.find((f) => f === (second ?? "open").toLowerCase());
    if (filter === undefined || extra.length > 0) {
      return err(
        tr("rfi.notList", {
          input: quote(t.positional.slice(1).join(" ")),
          filters: LIST_FILTERS.join(", "),
        }),
        "!rfi list overdue",
      );
    }
    return ok({ action, filter });
  }
  if (second === undefined) return err(tr("rfi.which", { action: `"${action}"` }), `!rfi ${action} RFI-12`);
  const id = parseRef("RFI", second);
  if (!id.ok) return err(id.error.message, `!rfi ${action} RFI-12`);
  if (extra.length > 0)
    return err(tr("rfi.textAfter", { input: quote(extra.join(" ")) }), `!rfi ${action} RFI-12 -- text`);
  if (action === "answer") {
    const checked = checkOptions(t, action, []);
    if (!checked.ok) return checked;
    const text = textOf(t.rest, tr("rfi.theAnswer"), `!rfi answer RFI-${id.value} -- AIS dark since 0600Z`);
    return text.ok ? ok({ action, id: id.value, text: text.value }) : text;
  }
  const reason = t.rest ?? undefined;
  if (action === "refer") {
    const checked = checkOptions(t, action, ["to"]);
    if (!checked.ok) return checked;
    if (t.options.to === undefined) return err(tr("rfi.referNeedsTo"), `!rfi refer RFI-${id.value} to=JTF`);
    const to = parseAddressee(t.options.to, env);
    return to.ok ? ok({ action, id: id.value, to: to.value, reason }) : to;
  }
  const checked = checkOptions(t, action, []);
  if (!checked.ok) return checked;
  return ok({ action: action as "accept" | "defer" | "deny" | "close", id: id.value, reason });
}
