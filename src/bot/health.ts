/** The checks behind `/health` for a running bot: database, homeserver, sync age, outbox. */
import type { Db } from "../db/client.ts";
import { outboxBacklog } from "../db/queries/outbox.ts";
import { pingDatabase } from "../db/queries/ping.ts";
import type { MatrixApi } from "../matrix/api.ts";
import { CHECK_TIMEOUT_MS, type Check, outboxCheck, syncCheck } from "../ops/health.ts";

export function botHealthChecks(o: {
  db: Db;
  api: Pick<MatrixApi, "versions">;
  syncAgeSeconds(): number | undefined;
}): Record<string, Check> {
  return {
    database: async () => {
      await pingDatabase(o.db);
      return { ok: true };
    },
    homeserver: async () => {
      await o.api.versions(AbortSignal.timeout(CHECK_TIMEOUT_MS));
      return { ok: true };
    },
    sync: async () => syncCheck(o.syncAgeSeconds()),
    outbox: async () => outboxCheck(await outboxBacklog(o.db)),
  };
}
