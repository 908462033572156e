import { z } from "zod";
import { err, ok, quote, t } from "../src/domain/result.ts";
import { isHelpId } from "../src/render/catalogue/help.ts";
import { type Message, msg } from "../src/render/message.ts";
import { type AnyCommand, defineCommand, type Tokens, withPrefix } from "./types.ts";

const HelpArgs = z
  .custom<Tokens>()
  .transform((t) => ({ topic: t.positional[0]?.replace(/^!/, "").toLowerCase() }));

/** The command's summary in the room's language (from the help catalogue), else as its definition writes it. */
function summaryOf(c: AnyCommand): Message {
  const id = `help.cmd.${c.name}`;
  return isHelpId(id) ? msg(id) : msg("text", { text: c.summary });
}

/** A command's usage, summary, details and examples, from its definition. */
function describe(prefix: string, c: AnyCommand): Message {
  const usage = withPrefix(c.usage, prefix)
    .split("\n")
    .map((line) => msg("text", { text: line }));
  const details = (c.details ?? []).map((d) => msg("text", { text: withPrefix(d, prefix) }));
  const examples = c.examples.map((e) => msg("help.example", { example: withPrefix(e, prefix) }));
  const [first, ...more] = usage;
  return msg(first?.id ?? "text", first?.params, [
    ...more,
    msg("help.summary", { summary: summaryOf(c) }),
    ...details,
    ...(examples.length > 0 ? [msg("help.examples"), ...examples] : []),
  ]);
}

export default defineCommand({
  name: "help",
  summary: "List the commands, or explain one",
  usage: "!help [command]",
  examples: ["!help", "!help status"],
  roles: "rostered",
  args: HelpArgs,
  async run(ctx, { topic }) {
    if (topic) {
      const c = ctx.commands.find((x) => x.name === topic);
      if (!c) {
        const names = ctx.commands.map((x) => x.name).join(", ");
        return err(t("help.noCommand", { input: quote(topic), names }), `${ctx.prefix}help status`);
      }
      return ok({ message: describe(ctx.prefix, c) });
    }
    const lines = ctx.commands.map((c) =>
      msg("help.entry", { synopsis: withPrefix(c.synopsis ?? c.usage, ctx.prefix), summary: summaryOf(c) }),
    );
    return ok({
      message: msg("help.title", {}, [
        ...lines,
        msg("help.more", { command: `${ctx.prefix}help <command>` }),
      ]),
    });
  },
});
