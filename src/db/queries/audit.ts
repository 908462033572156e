import { createHash } from "node:crypto";
import { asc, desc, eq, sql } from "drizzle-orm";
import type { AuditEntry } from "../../domain/audit.ts";
import type { DbOrTx } from "../client.ts";
import { getState } from "./botState.ts";
import { auditLog } from "../schema/audit.ts";
import { botState } from "../schema/botState.ts";

const AUDIT_LOCK = 0x7464_6175; // serializes the first appends, before a head is recorded
const HEAD_KEY = "audit.head";

/** The newest entry, recorded with every append so that cutting entries off the end shows. */
export interface AuditHead {
  id: number;
  hash: string;
}
export const GENESIS = "0".repeat(64);

/** JSON with object keys sorted at every depth, so the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
}

export function entryHash(
  prevHash: string,
  e: { at: Date; actor: string; action: string; roomId: string | null; detail: unknown },
): string {
  const body = canonicalJson({
    prev: prevHash,
    at: e.at.toISOString(),
    actor: e.actor,
    action: e.action,
    roomId: e.roomId,
    detail: e.detail,
  });
  return createHash("sha256").update(body).digest("hex");
}

/**
 * Appends inside the caller's transaction, in two statements whatever the number of entries:
 * lock the recorded head (appends queue on that row lock, so the chain has one head), then insert
 * the entries and record the new head in one. The chain continues from the recorded head, not
 * from the table's last row: entries cut from the end stay visible as a broken link. Only a log
 * with no recorded head yet (a new database) takes the advisory lock and reads the table's tail.
 */
export async function appendAudit(tx: DbOrTx, entries: AuditEntry[], at: Date): Promise<void> {
  if (entries.length === 0) return;
  let prev = (await lockedHead(tx))?.hash ?? (await unheadedTail(tx));
  const rows = entries.map((e) => {
    const roomId = e.roomId ?? null;
    const detail = JSON.parse(JSON.stringify(e.detail)) as Record<string, unknown>;
    const hash = entryHash(prev, { at, actor: e.actor, action: e.action, roomId, detail });
    const row = { at, actor: e.actor, action: e.action, roomId, detail, prevHash: prev, hash };
    prev = hash;
    return row;
  });
  // One statement: the entries, and the new head (the highest id they got) from what they returned.
  const inserted = tx.$with("inserted").as(tx.insert(auditLog).values(rows).returning({ id: auditLog.id }));
  await tx
    .with(inserted)
    .insert(botState)
    .select(
      sql`select ${HEAD_KEY}, jsonb_build_object('id', max(${inserted.id}), 'hash', ${prev}::text), now() from ${inserted}`,
    )
    .onConflictDoUpdate({ target: botState.key, set: { value: sql`excluded.value`, updatedAt: sql`now()` } });
}

/**
 * The recorded head, locked until the transaction ends. A transaction waiting here reads the
 * head as the one before it committed it (READ COMMITTED re-reads a row it waited for).
 */
async function lockedHead(tx: DbOrTx): Promise<AuditHead | undefined> {
  const [row] = await tx
    .select({ value: botState.value })
    .from(botState)
    .where(eq(botState.key, HEAD_KEY))
    .for("update");
  return row?.value as AuditHead | undefined;
}

/**
 * No head recorded yet: serialize on the advisory lock, then read the table's tail. A first
 * append that held the lock before us has recorded a head by now, and later appends queue on
 * that row: then it is the head (locked like any other append's), not the tail, that we chain to.
 */
async function unheadedTail(tx: DbOrTx): Promise<string> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`);
  const head = await lockedHead(tx);
  if (head !== undefined) return head.hash;
  const last = await tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
  return last[0]?.hash ?? GENESIS;
}

/**
 * Walks the chain and checks it ends at the recorded head; returns the first broken entry, or
 * the head (print it: kept elsewhere, it proves later that nothing was cut from the end).
 */
export async function verifyAudit(
  db: DbOrTx,
): Promise<{ ok: true; entries: number; head: AuditHead } | { ok: false; id: number; why: string }> {
  const rows = await db.select().from(auditLog).orderBy(asc(auditLog.id));
  let prev = GENESIS;
  for (const r of rows) {
    if (r.prevHash !== prev)
      return { ok: false, id: r.id, why: "previous hash does not match (an entry was removed or reordered)" };
    const hash = entryHash(prev, {
      at: r.at,
      actor: r.actor,
      action: r.action,
      roomId: r.roomId,
      detail: r.detail,
    });
    if (hash !== r.hash)
      return { ok: false, id: r.id, why: "content does not match its hash (the entry was edited)" };
    prev = r.hash;
  }
  const last = rows.at(-1);
  const head = await getState<AuditHead>(db, HEAD_KEY);
  if (head !== undefined && (last?.id !== head.id || last.hash !== head.hash)) {
    return {
      ok: false,
      id: head.id,
      why: "the log no longer ends at its recorded head (entries were removed from the end)",
    };
  }
  if (head === undefined && last !== undefined) {
    return { ok: false, id: last.id, why: "the record of the log's head is missing" };
  }
  return { ok: true, entries: rows.length, head: head ?? { id: 0, hash: GENESIS } };
}
