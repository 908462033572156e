/**
 * Order within a room, as the homeserver holds it: the room's events from `/messages` (server
 * order), and whether the bot's replies and reactions answer the commands in the order the
 * commands were stored. Arrival order at the officer is not used: its decryptions finish in any order.
 */
import { Direction } from "matrix-js-sdk";
import type { Officer } from "../test/support/officer.ts";

export interface OrderCheck {
  replies: number;
  reactions: number;
  /** Replies (or reactions) stored before the answer to an earlier command. */
  outOfOrder: number;
}

/** Event ids of the room's newest `limit` events, oldest first. */
async function serverOrder(officer: Officer, roomId: string, limit: number): Promise<string[]> {
  const res = await officer.client.createMessagesRequest(roomId, null, limit, Direction.Backward);
  return res.chunk.map((e) => e.event_id).reverse();
}

function relatesTo(content: Record<string, unknown>): string | undefined {
  const rel = content["m.relates_to"];
  if (typeof rel !== "object" || rel === null) return undefined;
  const id = (rel as Record<string, unknown>).event_id;
  return typeof id === "string" ? id : undefined;
}

/** Counts the answers (by `bot`) to `commandIds` that the server stored out of command order. */
export async function checkOrder(
  officer: Officer,
  roomId: string,
  bot: string,
  commandIds: readonly string[],
): Promise<OrderCheck> {
  const order = await serverOrder(officer, roomId, commandIds.length * 3 + 50);
  const position = new Map(order.map((id, i) => [id, i]));
  const rank = new Map(
    [...commandIds].sort((a, b) => (position.get(a) ?? -1) - (position.get(b) ?? -1)).map((id, i) => [id, i]),
  );
  const answers = officer
    .eventsIn(roomId)
    .filter((e) => e.sender === bot && position.has(e.eventId))
    .sort((a, b) => (position.get(a.eventId) ?? 0) - (position.get(b.eventId) ?? 0));
  const ranks = (kind: "reply" | "reaction"): number[] =>
    answers
      .map((e) =>
        kind === "reply"
          ? e.type === "m.room.message"
            ? e.replyTo
            : undefined
          : e.type === "m.reaction"
            ? relatesTo(e.content)
            : undefined,
      )
      .map((id) => (id === undefined ? undefined : rank.get(id)))
      .filter((r): r is number => r !== undefined);
  const inversions = (rs: number[]): number => rs.filter((r, i) => i > 0 && r < (rs[i - 1] ?? 0)).length;
  const replies = ranks("reply");
  const reactions = ranks("reaction");
  return {
    replies: replies.length,
    reactions: reactions.length,
    outOfOrder: inversions(replies) + inversions(reactions),
  };
}
