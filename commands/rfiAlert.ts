/** RFIs to another room go through the alert pipeline (approval, redaction of the originator). */
import { outboxRefs } from "../src/domain/alert.ts";
import type { Rfi } from "../src/domain/rfi.ts";
import { type Message, msg } from "../src/render/message.ts";
import { type Raised, raiseAlert, rfiItem } from "./alerting.ts";
import type { CommandContext, Reply } from "./types.ts";

/**
 * An RFI addressed to another room goes there as an alert, under the rule's approval and
 * redaction: until it is relayed the RFI is not visible there (its toRoomId stays unset).
 */
export async function alertRfi(ctx: CommandContext, rfi: Rfi, room: string): Promise<Raised | undefined> {
  const origin = Object.entries(ctx.config.rooms).find(([, r]) => r.roomId === rfi.roomId)?.[0];
  if (origin === undefined) return undefined;
  return raiseAlert(ctx, origin, rfiItem(rfi), [room], rfi.ref);
}

/** The alert's lines after the RFI's own, and the request's ref when the reply is the request. */
export function withAlert(
  ctx: CommandContext,
  raised: Raised | undefined,
  rfi: Rfi,
): Pick<Reply, "notices" | "audit" | "replyRef"> & { lines: Message[] } {
  if (raised === undefined) return { lines: [], notices: [], audit: [] };
  const lines = [raised.message, ...(raised.message.more ?? [])].map((m) => msg(m.id, m.params));
  const request = outboxRefs.request(raised.alert.id);
  if (ctx.roomId === rfi.roomId)
    return { lines, notices: raised.notices, audit: raised.audit, replyRef: request };
  // Decided in the room it was raised in: the request goes there.
  const notice = { roomId: rfi.roomId, message: raised.message, ref: request };
  return { lines, notices: [notice, ...raised.notices], audit: raised.audit };
}
