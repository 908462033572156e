import { ok, type Result } from "../src/domain/result.ts";
import { type DecideArgs, parseDecideArgs } from "./approve.ts";
import { decideAlert } from "./approving.ts";
import { argsFrom, defineCommand, type Reply } from "./types.ts";

export default defineCommand<DecideArgs>({
  name: "deny",
  summary: "Deny an alert waiting in this room (same as ❌ on its approval request): it is never relayed",
  usage: "!deny A-<n> [-- reason]",
  details: ["One denial from someone who could approve it is enough; the reason is told in the room."],
  examples: ["!deny A-31 -- not releasable to JTF"],
  roles: "rostered",
  refused: "Nothing was denied",
  args: argsFrom((t) => parseDecideArgs(t, "deny")),
  async run(ctx, args): Promise<Result<Reply>> {
    const d = await decideAlert(ctx, args.id, "deny", "command", args.reason);
    if (!d.ok) return d;
    const { message, notices, audit, counted } = d.value;
    return ok({ message, notices, audit, reaction: counted ? "✅" : "❌" });
  },
});
