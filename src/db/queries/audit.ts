import { createHash } from "node:crypto";
import { asc, desc, sql } from "drizzle-orm";
import type { AuditEntry } from "../../domain/audit.ts";
import type { DbOrTx } from "../client.ts";
import { getState, setState } from "./botState.ts";
import { auditLog } from "../schema/audit.ts";

const AUDIT_LOCK = 0x7464_6175; // serializes appends so the chain has one head
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

/** Appends inside the caller's transaction. */
export async function appendAudit(tx: DbOrTx, entries: AuditEntry[], at: Date): Promise<void> {
  if (entries.length === 0) return;
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`);
  const last = await tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
  let prev = last[0]?.hash ?? GENESIS;
  let head: AuditHead = { id: 0, hash: prev };
  for (const e of entries) {
    const roomId = e.roomId ?? null;
    const detail = JSON.parse(JSON.stringify(e.detail)) as Record<string, unknown>;
    const hash = entryHash(prev, { at, actor: e.actor, action: e.action, roomId, detail });
    const [row] = await tx
      .insert(auditLog)
      .values({ at, actor: e.actor, action: e.action, roomId, detail, prevHash: prev, hash })
      .returning({ id: auditLog.id });
    prev = hash;
    head = { id: row?.id ?? 0, hash };
  }
  await setState(tx, HEAD_KEY, head);
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
