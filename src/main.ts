#!/usr/bin/env node
/** Composition root: `tearline run | migrate | check-config | audit verify | export`. */
import { setTimeout as sleep } from "node:timers/promises";
import { directoryFromConfig } from "./bot/configDirectory.ts";
import { Bot } from "./bot/bot.ts";
import { parseFaults } from "./bot/faults.ts";
import { readBaseEnv, readEnv, type TearlineEnv } from "./config/env.ts";
import { formatConfigErrors, loadConfig } from "./config/load.ts";
import { type Database, migrateDatabase, openDatabase } from "./db/client.ts";
import { DataDirBusy } from "./db/dataDirLock.ts";
import { acquireDeviceLock } from "./db/lock.ts";
import { isClosedSocketWrite } from "./db/driverFault.ts";
import { Operations } from "./bot/operations.ts";
import type { OpsServer } from "./ops/http.ts";
import { exportCli } from "./bot/exportCli.ts";
import { verifyAudit } from "./db/queries/audit.ts";
import { createLogger } from "./log.ts";

const STOP_GRACE_MS = 15_000;

const USAGE = `usage: tearline <command>
  run            start the bot (on PostgreSQL, waits as a hot standby while another instance holds the device)
  migrate        apply database migrations (DATABASE_URL, or the embedded database in TEARLINE_DATA_DIR)
  check-config [file]  validate tearline.yaml (default: $TEARLINE_CONFIG or ./tearline.yaml)
  audit verify   check the audit log's hash chain
  export --room <key> --format cot|stix|csv [--since 24h] [--kind …] [--near … --radius …] [--out file]
                 the file !export posts, for the room's key in tearline.yaml (stdout by default)`;

async function main(argv: string[]): Promise<number> {
  const [command, sub] = argv;
  const base = readBaseEnv();
  if (!base.ok) return unusable(base.errors);
  if (command === "migrate" || (command === "audit" && sub === "verify")) {
    const opened = await openOrRefuse(base.env, (why) => console.error(`tearline ${command}: ${why}`), {
      max: 1,
    });
    if (opened === undefined) return 1;
    const database = opened;
    try {
      await migrateDatabase(database);
      if (command === "migrate") {
        console.log(`database is up to date (${database.description})`);
        return 0;
      }
      const res = await verifyAudit(database.db);
      console.log(
        res.ok
          ? `audit log intact: ${res.entries} entries; head ${res.head.id} ${res.head.hash} (keep it: it shows later that nothing was cut)`
          : `audit log BROKEN at entry ${res.id}: ${res.why}`,
      );
      return res.ok ? 0 : 1;
    } finally {
      await database.close();
    }
  }
  if (command === "check-config") return checkConfig(sub ?? base.env.configPath);
  if (command === "export") return exportCli(argv.slice(1), base.env);
  if (command !== "run") {
    console.error(USAGE);
    return 2;
  }
  const env = readEnv();
  if (!env.ok) return unusable(env.errors);
  const loaded = await loadConfig(env.env.configPath);
  if (!loaded.ok) {
    console.error(formatConfigErrors(loaded.errors));
    return 2;
  }
  const log = createLogger(env.env.logLevel);
  for (const w of loaded.warnings) log.warn("configuration warning", { warning: formatConfigErrors([w]) });
  return run(env.env, loaded.config, log);
}

/** Opens the configured database; a data folder held by another process is said plainly, not thrown. */
async function openOrRefuse(
  target: { databaseUrl: string | undefined; dataDir: string },
  refuse: (why: string, holderPid: number | undefined) => void,
  opts: { max?: number } = {},
): Promise<Database | undefined> {
  try {
    return await openDatabase(target, opts);
  } catch (err) {
    if (!(err instanceof DataDirBusy)) throw err;
    refuse(err.message, err.holder?.pid);
    return undefined;
  }
}

function unusable(errors: readonly string[]): number {
  console.error(`Environment is not usable:\n${errors.map((e) => `  ${e}`).join("\n")}`);
  return 2;
}

/** Validates tearline.yaml (and says what the environment still lacks for `run`). */
async function checkConfig(path: string): Promise<number> {
  const loaded = await loadConfig(path);
  if (!loaded.ok) {
    console.error(formatConfigErrors(loaded.errors));
    return 1;
  }
  const c = loaded.config;
  for (const line of formatConfigErrors(loaded.warnings)
    .split("\n")
    .filter((l) => l !== "")) {
    console.warn(`warning: ${line}`);
  }
  console.log(
    `${path} is valid: ${Object.keys(c.partners).length} partners, ${Object.keys(c.rooms).length} rooms, ` +
      `${Object.keys(c.roster).length} people, ${c.sharing.length} sharing rules`,
  );
  const env = readEnv();
  if (!env.ok) console.log(`Before \`tearline run\`, set:\n${env.errors.map((e) => `  ${e}`).join("\n")}`);
  return 0;
}

/**
 * The database driver's one known uncatchable fault (driverFault.ts) means the database connection
 * is gone; with it, on a PostgreSQL restart, the device lock. Exit 1 in order, as on a lost lock:
 * the supervisor starts the bot again and it resumes from what is durable. Anything else uncaught
 * is still fatal, logged as such.
 */
function exitOnDriverFault(log: ReturnType<typeof createLogger>): void {
  process.on("uncaughtException", (err) => {
    if (isClosedSocketWrite(err)) {
      log.error(
        "lost the database connection (a PostgreSQL restart ends the device lock's session too); exiting so that only one instance drives the device",
        {
          err: { name: err.name, message: err.message },
        },
      );
    } else {
      log.error("fatal: uncaught exception", { err: err instanceof Error ? err.stack : String(err) });
    }
    process.exit(1);
  });
}

/** Resolves on the first SIGTERM or SIGINT; a second one ends the process at once. */
function stopSignal(log: ReturnType<typeof createLogger>): Promise<string> {
  return new Promise((resolve) => {
    let seen = false;
    const on = (signal: string) => {
      if (seen) {
        log.warn("second stop signal; exiting without waiting", { signal });
        process.exit(1);
      }
      seen = true;
      resolve(signal);
    };
    process.on("SIGTERM", on);
    process.on("SIGINT", on);
  });
}

async function run(
  env: TearlineEnv,
  config: Extract<Awaited<ReturnType<typeof loadConfig>>, { ok: true }>["config"],
  log: ReturnType<typeof createLogger>,
): Promise<number> {
  const stopping = stopSignal(log);
  exitOnDriverFault(log);
  const database = await openOrRefuse(env, (why, holderPid) =>
    log.error(`not starting: ${why}`, { holderPid, dataDir: env.dataDir }),
  );
  if (database === undefined) return 1;
  log.info(`database: ${database.description}`, { engine: database.engine });
  const ops = new Operations(database.db, log);
  let server: OpsServer;
  try {
    server = await ops.listen(env.http);
  } catch (err) {
    const code = err instanceof Error && "code" in err ? String(err.code) : "failed";
    log.error("cannot listen for /health and /metrics; set TEARLINE_HTTP_ADDR to a free host:port", {
      address: `${env.http.host}:${env.http.port}`,
      code,
    });
    await database.close();
    return 1;
  }
  ops.setPhase("waiting for the device lock");
  if (database.engine === "postgres") log.info("waiting for the device lock (another instance may hold it)");
  // Everything that matters is durable before it leaves the process (write-ahead), so a stop
  // asked for before the bot runs may simply end the process, like a crash would.
  const early = stopping.then(() => undefined);
  const lock = await Promise.race([
    acquireDeviceLock(
      database,
      (err) => {
        log.error("lost the device lock; exiting so that only one instance drives the device", { err });
        process.exit(1);
      },
      () => migrateDatabase(database),
    ),
    early,
  ]);
  if (lock === undefined) return stoppedEarly(log, server);
  log.info("holding the device lock; starting", { epoch: lock.epoch });
  ops.setPhase("starting");
  const bot = await Promise.race([
    Bot.start({
      database,
      log,
      directory: directoryFromConfig(config),
      trust: {
        onlyCrossSigned: config.trust.only_cross_signed,
        ignoreUnverified: config.trust.ignore_unverified,
      },
      homeserverUrl: env.homeserverUrl,
      userId: env.userId,
      password: env.password,
      accessToken: env.accessToken,
      storePassphrase: env.storePassphrase,
      deviceName: env.deviceName,
      timelineLimit: env.syncTimelineLimit,
      maxBackfill: env.syncMaxBackfill,
      faults: parseFaults(env.fault),
      runDigestsAt: env.testRunDigestsAt,
      fence: lock.fence,
      metrics: ops.metrics,
    }),
    early,
  ]);
  if (bot === undefined) return stoppedEarly(log, server);
  ops.setRunning(bot);
  log.info("bot started", { userId: bot.session.userId, deviceId: bot.session.deviceId });
  const signal = await stopping;
  const asked = performance.now();
  ops.setPhase("stopping");
  log.info("stopping", { signal });
  // A request still being retried (homeserver away) must not hold the process: everything that
  // matters is already durable (write-ahead), so after a grace period we just go.
  const stopped = await Promise.race([bot.stop().then(() => true), sleep(STOP_GRACE_MS).then(() => false)]);
  if (!stopped) {
    log.warn("stopping took too long; exiting anyway", { graceMs: STOP_GRACE_MS });
    return 0;
  }
  await server.close();
  await lock.release();
  await database.close();
  log.info("stopped", { ms: Math.round(performance.now() - asked) });
  return 0;
}

async function stoppedEarly(log: ReturnType<typeof createLogger>, server: OpsServer): Promise<number> {
  log.info("stopping before start-up finished");
  await server.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(
      JSON.stringify({ level: "error", msg: "fatal", err: err instanceof Error ? err.stack : String(err) }),
    );
    process.exit(1);
  },
);
