/** The runner's storage over the dispatcher's PostgreSQL transaction: a savepoint per command. */
import type { Tx } from "../db/client.ts";
import { alertRepo } from "../db/queries/alerts.ts";
import { digestRepo } from "../db/queries/digests.ts";
import { rfiRepo } from "../db/queries/rfis.ts";
import { forgetLangReads, roomSettingsRepo, shareLangReads } from "../db/queries/roomSettings.ts";
import { sightingRepo } from "../db/queries/sightings.ts";
import type { RunnerStorage } from "./runner.ts";

export const sqlRunnerStorage: RunnerStorage<Tx> = {
  repos: (tx) => ({
    sightings: sightingRepo(tx),
    rfis: rfiRepo(tx),
    alerts: alertRepo(tx),
    digests: digestRepo(tx),
    rooms: roomSettingsRepo(tx),
  }),
  savepoint: async (tx, fn) => {
    try {
      return await tx.transaction((sp) => {
        shareLangReads(sp, tx);
        return fn(sp);
      });
    } catch (err) {
      forgetLangReads(tx);
      throw err;
    }
  },
};
