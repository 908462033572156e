import { readFileSync } from "node:fs";
import { commands } from "../../commands/index.ts";
import type { RuntimeInfo } from "../../commands/types.ts";
import { type Database, type Db, type DbOrTx, isReachable } from "../db/client.ts";
import { appendAudit } from "../db/queries/audit.ts";
import { cryptoStorePersistence, type Fence } from "../db/queries/cryptoStore.ts";
import { getState, setState, setStates } from "../db/queries/botState.ts";
import { knownEventIds } from "../db/queries/events.ts";
import { unsentCount } from "../db/queries/outbox.ts";
import type { Logger } from "../log.ts";
import { MatrixApi } from "../matrix/api.ts";
import { CryptoEngine, type TrustOptions } from "../matrix/crypto.ts";
import { DurableCryptoStore } from "../matrix/cryptoStore.ts";
import { Mutex } from "../matrix/lock.ts";
import { RoomRegistry } from "../matrix/rooms.ts";
import { RoomSender } from "../matrix/send.ts";
import { AttachingSender } from "./attachments.ts";
import { establishSession, type MatrixSession } from "../matrix/session.ts";
import { type RoomMark, SyncLoop, type TimelineItem } from "../matrix/sync.ts";
import { type Sealed, seal, unseal } from "../secrets.ts";
import type { Directory } from "./directory.ts";
import { Dispatcher } from "./dispatch.ts";
import { type Faults, noFaults } from "./faults.ts";
import { OutboxSender } from "./outbox.ts";
import { PENDING_LIMITS, type PendingLimits, PendingRetry } from "./pending.ts";
import { auditRuleSet } from "./ruleSet.ts";
import { botHealthChecks } from "./health.ts";
import { type BotMetrics, noMetrics } from "./observe.ts";
import type { CryptoStorePersistence } from "../matrix/cryptoPersistence.ts";
import { type HealthReport, runChecks } from "../ops/health.ts";
import { Scheduler } from "./scheduler.ts";
import { projectFile } from "../projectFiles.ts";

const EXPIRY_INTERVAL_MS = 3_600_000;
/**
 * How long the next /sync waits for the replies to the batch just handled to be sent (their
 * echoes then come back in one sync, not one each): about two sends to a busy homeserver. A
 * command sent meanwhile waits at most this long more; an idle bot does not wait at all.
 */
const SETTLE_MS = 250;

export const VERSION: string = (
  JSON.parse(readFileSync(projectFile("package.json"), "utf8")) as { version: string }
).version;

export interface BotOptions {
  database: Database;
  log: Logger;
  directory: Directory;
  trust: TrustOptions;
  homeserverUrl: string;
  userId: string;
  password?: string | undefined;
  accessToken?: string | undefined;
  storePassphrase: string;
  deviceName?: string;
  timelineLimit?: number;
  /** Events walked back per room and sync after an absence before the rest is reported as a gap. */
  maxBackfill?: number;
  now?: () => Date;
  faults?: Faults;
  /** Checked inside every crypto-store flush: refuses writes once another instance owns the device. */
  fence?: Fence;
  /** Bounds on messages waiting for their key (default PENDING_LIMITS). */
  pending?: PendingLimits;
  /** Benchmarks and tests: the homeserver behind another fetch (default: the global one). */
  fetchImpl?: typeof fetch;
  /** Tests only: one digest pass at start-up as if the clock read this (TEARLINE_TEST_RUN_DIGESTS_AT). */
  runDigestsAt?: Date | undefined;
  /** Where commands, relays, decryption failures and crypto-store flushes are counted. */
  metrics?: BotMetrics;
}

/** The persistence, with each write's duration told to the metrics (a flush is one write). */
function timedPersistence(p: CryptoStorePersistence, metrics: BotMetrics): CryptoStorePersistence {
  return {
    load: (opts, onSchemas, onBatch) => p.load(opts, onSchemas, onBatch),
    fetch: (ref, keys) => p.fetch(ref, keys),
    write: async (changes) => {
      const started = performance.now();
      const rows = await p.write(changes);
      metrics.cryptoStoreFlushed((performance.now() - started) / 1000);
      return rows;
    },
  };
}

/** bot_state key of a room's high-water mark (the newest event of its last handled timeline). */
const markKey = (roomId: string) => `sync.mark:${roomId}`;

type StoredSession = Omit<MatrixSession, "accessToken"> & { accessToken: Sealed };

/** The access token is sealed with the store passphrase: the database alone cannot impersonate the bot. */
async function saveSession(db: Db, passphrase: string, s: MatrixSession): Promise<void> {
  const stored: StoredSession = { ...s, accessToken: await seal(passphrase, s.accessToken) };
  await setState(db, "matrix.session", stored);
}

async function loadSession(db: Db, passphrase: string): Promise<MatrixSession | undefined> {
  const stored = await getState<StoredSession>(db, "matrix.session");
  if (!stored) return undefined;
  try {
    return { ...stored, accessToken: await unseal(passphrase, stored.accessToken) };
  } catch {
    throw new Error("TEARLINE_STORE_PASSPHRASE does not open the stored session (wrong passphrase?)");
  }
}

/** A running bot: sync loop, dispatcher, outbox sender and scheduler over one device and one database. */
export class Bot {
  private readonly handling = new Mutex();
  private stopping = false;

  private sync!: SyncLoop;
  private scheduler!: Scheduler;
  private pending!: PendingRetry;
  private expiryTimer: NodeJS.Timeout | undefined;

  private constructor(
    readonly session: MatrixSession,
    private readonly crypto: CryptoEngine,
    private readonly store: DurableCryptoStore,
    private readonly rooms: RoomRegistry,
    private readonly outbox: OutboxSender,
    private readonly dispatcher: Dispatcher,
    private readonly log: Logger,
    private readonly faults: Faults,
    private readonly db: Db,
    private readonly api: MatrixApi,
  ) {}

  static async start(o: BotOptions): Promise<Bot> {
    const { db } = o.database;
    const log = o.log;
    const now = o.now ?? (() => new Date());
    const startedAt = now();
    const api = new MatrixApi({ baseUrl: o.homeserverUrl, log, maxAttempts: 0, fetchImpl: o.fetchImpl });
    const { session, fresh } = await establishSession({
      api,
      store: {
        load: () => loadSession(db, o.storePassphrase),
        save: (s) => saveSession(db, o.storePassphrase, s),
      },
      userId: o.userId,
      password: o.password,
      accessToken: o.accessToken,
      deviceName: o.deviceName ?? "Tearline",
    });
    log.info(fresh ? "logged in with a new device" : "reusing the stored device", {
      deviceId: session.deviceId,
    });
    const metrics = o.metrics ?? noMetrics;
    const store = await DurableCryptoStore.open(
      timedPersistence(cryptoStorePersistence(db, o.fence), metrics),
      log,
    );
    const crypto = await CryptoEngine.open({
      userId: session.userId,
      deviceId: session.deviceId,
      passphrase: o.storePassphrase,
      api,
      store,
      log,
      trust: o.trust,
    });
    await crypto.sendOutgoingRequests();
    try {
      if (await crypto.bootstrapCrossSigning(o.password, session.userId))
        log.info("cross-signing identity created");
    } catch (err) {
      log.warn("could not bootstrap cross-signing; continuing without it", { err });
    }
    const rulesHash = await auditRuleSet(db, o.directory.facts.sharing, now());
    log.info("sharing rules in force", { rules: o.directory.facts.sharing.length, hash: rulesHash });
    const rooms = new RoomRegistry(api);
    const faults = o.faults ?? noFaults;
    let bot: Bot | undefined;
    const outbox = new OutboxSender({
      db,
      // Queued attachments (digest maps) are rendered and uploaded here, just before their PUT.
      sender: new AttachingSender(new RoomSender(api, crypto, rooms), api),
      log,
      txnPrefix: "tl-",
      faults,
      // Asked only after an M_FORBIDDEN refusal, so the homeserver's own answer is affordable; the
      // sync's set may lag a kick (or be empty before the first sync) and is not asked.
      isJoined: async (roomId) => (await api.joinedRooms()).includes(roomId),
      now,
    });
    // Asked inside the command's transaction (`q`): the embedded database has one connection, and
    // a query beside an open transaction would wait for it forever.
    const runtime = async (q: DbOrTx = db): Promise<RuntimeInfo> => ({
      version: VERSION,
      userId: session.userId,
      deviceId: session.deviceId,
      fingerprint: crypto.fingerprint,
      crossSigned: await crypto.isDeviceSignedByOwner(),
      joinedRooms: bot?.sync.joined.size ?? 0,
      lastSyncAt: bot?.sync.lastSyncAt,
      databaseOk: await isReachable(q),
      databaseEngine: o.database.engine,
      outboxBacklog: await unsentCount(q),
      startedAt,
    });
    const dispatcher = new Dispatcher({
      db,
      log,
      directory: o.directory,
      commands,
      isEncrypted: (r) => rooms.isEncrypted(r),
      runtime,
      now,
      onOutbox: (queuedIn) => outbox.kick(queuedIn),
      ignoreUnverified: o.trust.ignoreUnverified,
      pendingPerRoom: (o.pending ?? PENDING_LIMITS).perRoom,
      metrics,
    });
    const b = new Bot(session, crypto, store, rooms, outbox, dispatcher, log, faults, db, api);
    bot = b;
    b.pending = new PendingRetry({
      db,
      log,
      now,
      decrypt: (roomId, event) => crypto.decrypt(roomId, event),
      handle: (item) => dispatcher.handleOne(item),
      limits: o.pending,
    });
    b.sync = new SyncLoop(
      api,
      crypto,
      rooms,
      {
        onInvite: async (roomId, inviter) => {
          const accept = o.directory.acceptsInvite(roomId, inviter);
          log.info(accept ? "joining room" : "rejecting invite from outside the roster", { roomId, inviter });
          const audit = (action: string, detail: Record<string, unknown> = {}) =>
            db.transaction((tx) =>
              appendAudit(tx, [{ actor: inviter ?? "unknown", action, roomId, detail }], now()),
            );
          await audit(accept ? "invite.accepted" : "invite.rejected");
          try {
            if (accept) await api.join(roomId);
            else await api.leave(roomId);
          } catch (err) {
            // Not rethrown: a room we cannot join must not hold up every other room's events.
            log.error("could not answer an invite; invite me again to retry", { roomId, inviter, err });
            await audit("invite.failed", { error: err instanceof Error ? err.message : String(err) });
          }
        },
        onJoined: (roomId) => b.onJoined(roomId),
        onTimeline: (items) => b.handleItems(items),
        knownEvents: (ids) => knownEventIds(db, ids),
        loadMark: (roomId) => getState<RoomMark>(db, markKey(roomId)),
        onGap: (gap) => dispatcher.noticeGap(gap),
        loadToken: () => getState<string>(db, "sync.next_batch"),
        saveProgress: async (marks, token) => {
          await store.flush();
          const entries: [string, unknown][] = [...marks].map(([roomId, mark]) => [markKey(roomId), mark]);
          entries.push(["sync.next_batch", token]);
          await setStates(db, entries);
        },
      },
      session.userId,
      log,
      {
        timelineLimit: o.timelineLimit ?? 50,
        pollTimeoutMs: 30_000,
        maxBackfill: o.maxBackfill ?? 1_000,
        settle: () => outbox.settled(SETTLE_MS),
      },
    );
    crypto.onRoomKeys(async (keys) => {
      // Not awaited: the callback runs inside the machine's sync processing.
      setImmediate(() => {
        b.retryPending(keys.map((k) => k.sessionId)).catch((err: unknown) =>
          log.error("retrying undecryptable messages failed; will retry when more keys arrive", { err }),
        );
      });
    });
    outbox.start();
    b.scheduler = new Scheduler({
      db,
      log,
      now,
      onOutbox: () => outbox.kick(),
      digests: { facts: o.directory.facts, prefix: o.directory.prefix },
      runDigestsAt: o.runDigestsAt,
      metrics,
    });
    b.scheduler.start();
    await b.retryPending(undefined);
    // Keys may never come (a room gone quiet): expiry also runs on its own.
    b.expiryTimer = setInterval(() => {
      b.handling
        .run(() => b.pending.expire())
        .catch((err: unknown) =>
          log.error("expiring undecryptable messages failed; will try again", { err }),
        );
    }, EXPIRY_INTERVAL_MS);
    b.expiryTimer.unref();
    b.sync.start();
    return b;
  }

  private handleItems(items: TimelineItem[]): Promise<void> {
    return this.handling.run(() => this.dispatcher.handleBatch(items, () => this.faults.afterHandled()));
  }

  private async onJoined(roomId: string): Promise<void> {
    if (!(await this.rooms.isEncrypted(roomId))) await this.dispatcher.noticeUnencrypted(roomId);
  }

  /** Decrypt events that failed earlier (all of them at start-up, or those of arrived sessions). */
  async retryPending(sessionIds: string[] | undefined): Promise<void> {
    await this.handling.run(async () => {
      // Keys that arrive while stopping are kept in the store: the next start retries everything.
      if (!this.stopping) await this.pending.retry(sessionIds);
    });
  }

  /** Seconds since the last successful /sync; undefined before the first. */
  syncAgeSeconds(): number | undefined {
    const at = this.sync.lastSyncAt;
    return at === undefined ? undefined : (Date.now() - at.getTime()) / 1000;
  }

  health(): Promise<HealthReport> {
    return runChecks(
      botHealthChecks({ db: this.db, api: this.api, syncAgeSeconds: () => this.syncAgeSeconds() }),
    );
  }

  /**
   * Stops as an operator expects of SIGTERM: no new sync batch is taken, the batch in hand is
   * finished (handled, its marks and token saved), the outbox finishes the message it is sending,
   * then the crypto store is flushed. The device stays logged in (never /logout): the next start
   * reuses it.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.expiryTimer);
    await this.scheduler.stop();
    await this.sync.stop();
    // A retry of undecryptable messages (keys that came with the last batch) finishes too.
    await this.handling.run(async () => {});
    await this.outbox.stop();
    await this.store.flush();
    this.crypto.close();
    this.store.close();
  }
}
