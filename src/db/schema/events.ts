import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/** Every handled Matrix event, written in the same transaction as its effects (exactly-once). */
export const processedEvents = pgTable("processed_events", {
  eventId: text("event_id").primaryKey(),
  roomId: text("room_id").notNull(),
  /** Who sent it and when the homeserver received it: an edit of it is checked against these. */
  sender: text("sender"),
  sentAt: timestamp("sent_at", { withTimezone: true }),
  /** The thread it was sent in: replies to its edits and deletion go to that thread too. */
  threadRoot: text("thread_root"),
  processedAt: timestamp("processed_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Events the bot could not decrypt yet; retried when their room key arrives. Bounded: rows expire,
 * and each room keeps only its newest (src/bot/pending.ts).
 */
export const pendingDecryptions = pgTable(
  "pending_decryptions",
  {
    eventId: text("event_id").primaryKey(),
    roomId: text("room_id").notNull(),
    sessionId: text("session_id"),
    event: jsonb("event").notNull(),
    noticeSent: boolean("notice_sent").notNull().default(false),
    firstSeen: timestamp("first_seen", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // A key arriving looks up its session's events; the per-room bound drops a room's oldest;
    // start-up pages through everything in (first_seen, event_id) order.
    index("pending_decryptions_session").on(t.sessionId),
    index("pending_decryptions_room_seen").on(t.roomId, t.firstSeen),
    index("pending_decryptions_seen").on(t.firstSeen, t.eventId),
  ],
);

/** Everything the bot says, written with the effects that caused it; sent by the outbox sender. */
export const outbox = pgTable(
  "outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    roomId: text("room_id").notNull(),
    eventType: text("event_type").notNull(),
    content: jsonb("content").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    sentEventId: text("sent_event_id"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    /** After a failure: not before this time (exponential backoff). */
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    /** Only the "needs encryption" notice may go into a room without encryption. */
    plaintextOk: boolean("plaintext_ok").notNull().default(false),
    /** A name other rows can point at (`alert:31:to:usa-jtf`); unique. */
    ref: text("ref"),
    /** Sent as a reply to the row with this ref, its event id read at send time. */
    replyToRef: text("reply_to_ref"),
  },
  (t) => [
    // Each room's unsent head, and the row after it (src/db/queries/outbox.ts).
    index("outbox_unsent_room").on(t.roomId, t.id).where(sql`${t.sentAt} is null`),
    uniqueIndex("outbox_ref").on(t.ref).where(sql`${t.ref} is not null`),
    // A reaction names the event it reacts to: which of our messages (an approval request) was it?
    index("outbox_sent_event").on(t.sentEventId),
  ],
);

/** Rooms the bot has told that it needs encryption, so it says so once. */
export const roomNotices = pgTable(
  "room_notices",
  {
    roomId: text("room_id").notNull(),
    notice: text("notice").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.notice] })],
);
