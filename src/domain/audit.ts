/**
 * An entry for the audit log: who did what, where. Plain data, so commands can return entries and
 * src/db can chain and store them without either importing the other.
 */
export interface AuditEntry {
  actor: string;
  action: string;
  roomId?: string | null;
  detail: Record<string, unknown>;
}
