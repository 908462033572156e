import { z } from "zod";
import { err, ok, quote } from "../src/domain/result.ts";
import { type AnyCommand, defineCommand, type Tokens, withPrefix } from "./types.ts";

const HelpArgs = z
  .custom<Tokens>()
  .transform((t) => ({ topic: t.positional[0]?.replace(/^!/, "").toLowerCase() }));

function describe(prefix: string, c: AnyCommand): string {
  const examples = c.examples.map((e) => `  ${withPrefix(e, prefix)}`).join("\n");
  const details = (c.details ?? []).map((d) => `${withPrefix(d, prefix)}\n`).join("");
  return `${withPrefix(c.usage, prefix)}\n${c.summary}.\n${details}${examples ? `Examples:\n${examples}` : ""}`.trimEnd();
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
        return err(`There is no command ${quote(topic)}. Commands: ${names}.`, `${ctx.prefix}help status`);
      }
      return ok({ text: describe(ctx.prefix, c) });
    }
    const lines = ctx.commands.map((c) => `${withPrefix(c.synopsis ?? c.usage, ctx.prefix)} — ${c.summary}`);
    return ok({
      text: `Tearline commands:\n${lines.join("\n")}\nSay ${ctx.prefix}help <command> for details.`,
    });
  },
});
