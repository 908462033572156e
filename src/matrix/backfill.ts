import type { MatrixApi, RawEvent } from "./api.ts";
import { originTs } from "./eventTime.ts";

/** The newest event of a room the bot has handled (its high-water mark), and its time if known. */
export interface RoomMark {
  eventId: string;
  ts?: number | undefined;
}

/** Commands may have been lost between `from` (last handled, if known) and `to` (oldest reached). */
export interface Gap {
  roomId: string;
  from?: number | undefined;
  to?: number | undefined;
  /** The oldest event reached: names the gap, so a replayed sync does not report it twice. */
  at: string;
}

/** One backwards page to handle: re-requested with the same token and limit, its first `take` events. */
interface Page {
  from: string;
  limit: number;
  take: number;
}

export interface BackfillPlan {
  /** Newest first, as scanned. */
  pages: Page[];
  /** The oldest page's events (newest first), kept from the scan so it is not fetched twice. */
  oldest: RawEvent[];
  events: number;
  gap?: Gap;
}

export interface ScanOptions {
  roomId: string;
  prevBatch: string;
  mark: RoomMark | undefined;
  cap: number;
  pageSize: number;
  isOwnJoin(ev: RawEvent): boolean;
  knownEvents(ids: string[]): Promise<Set<string>>;
}

/**
 * Walks back from a limited timeline's prev_batch until the room's mark, an event already handled,
 * or the bot's own join — or until `cap` events, which is a gap. Only tokens and counts are held
 * (and the last page), so memory does not grow with the size of the gap.
 */
export async function scanBack(api: Pick<MatrixApi, "messages">, o: ScanOptions): Promise<BackfillPlan> {
  const plan: BackfillPlan = { pages: [], oldest: [], events: 0 };
  let token: string | undefined = o.prevBatch;
  let oldestTs: number | undefined;
  let oldestId: string | undefined;
  while (token) {
    // One more than the cap allows: the extra event tells a real gap from a cap met exactly.
    const limit = Math.min(o.pageSize, o.cap - plan.events + 1);
    const page = await api.messages(o.roomId, { from: token, dir: "b", limit });
    const ids = page.chunk.map((e) => e.event_id).filter((id): id is string => !!id);
    const known = await o.knownEvents(ids);
    let take = 0;
    let done = page.chunk.length === 0 || !page.end;
    for (const ev of page.chunk) {
      const id = ev.event_id;
      if ((id && (id === o.mark?.eventId || known.has(id))) || o.isOwnJoin(ev)) {
        done = true;
        break;
      }
      if (plan.events === o.cap) {
        // Missed: what lies between the mark and the oldest event reached (which is handled).
        plan.gap = {
          roomId: o.roomId,
          from: o.mark?.ts,
          to: oldestTs ?? originTs(ev.origin_server_ts),
          at: oldestId ?? id ?? "",
        };
        done = true;
        break;
      }
      take++;
      plan.events++;
      oldestTs = originTs(ev.origin_server_ts) ?? oldestTs;
      oldestId = id ?? oldestId;
    }
    if (take > 0) {
      plan.pages.push({ from: token, limit, take });
      plan.oldest = page.chunk.slice(0, take);
    }
    if (done) break;
    token = page.end;
  }
  return plan;
}

/** The scanned events again, oldest page first and each page oldest first, one page at a time. */
export async function* pagesOldestFirst(
  api: Pick<MatrixApi, "messages">,
  roomId: string,
  plan: BackfillPlan,
): AsyncGenerator<RawEvent[]> {
  for (let i = plan.pages.length - 1; i >= 0; i--) {
    const p = plan.pages[i] as Page;
    const chunk =
      i === plan.pages.length - 1
        ? plan.oldest
        : (await api.messages(roomId, { from: p.from, dir: "b", limit: p.limit })).chunk.slice(0, p.take);
    yield chunk.toReversed();
  }
}
