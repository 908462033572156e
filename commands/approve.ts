import { parseRef } from "../src/domain/refs.ts";
import { err, ok, type Result, t as tr } from "../src/domain/result.ts";
import { decideAlert } from "./approving.ts";
import { argsFrom, defineCommand, type Reply, type Tokens } from "./types.ts";

export interface DecideArgs {
  id: number;
  reason?: string | undefined;
}

export function parseDecideArgs(t: Tokens, command: "approve" | "deny"): Result<DecideArgs> {
  const example = command === "approve" ? "!approve A-31" : "!deny A-31 -- not releasable to JTF";
  const [first, ...extra] = t.positional;
  if (first === undefined || extra.length > 0 || Object.keys(t.options).length > 0)
    return err(tr("decide.oneRef"), example);
  const id = parseRef("A", first, "ref");
  if (!id.ok) return err(id.error.message, example);
  return ok({ id: id.value, reason: t.rest?.trim() || undefined });
}

export default defineCommand<DecideArgs>({
  name: "approve",
  summary: "Approve an alert waiting in this room (same as ✅ on its approval request)",
  usage: "!approve A-<n>",
  details: [
    "Counts once per person, from someone of this room's partners with the role the rule asks for; under not_requester, not from the person who asked.",
  ],
  examples: ["!approve A-31"],
  roles: "rostered",
  refused: "Nothing was approved",
  args: argsFrom((t) => parseDecideArgs(t, "approve")),
  async run(ctx, args): Promise<Result<Reply>> {
    const d = await decideAlert(ctx, args.id, "approve", "command");
    if (!d.ok) return d;
    const { message, notices, audit, counted } = d.value;
    return ok({ message, notices, audit, reaction: counted ? "✅" : "❌" });
  },
});
