/**
 * Real-Synapse test harness (design §8): installs the pinned Synapse into a cached virtualenv,
 * writes a Complement-style config (SQLite, no federation, rate limits off, shared-secret
 * registration) into a temp dir, starts it on 127.0.0.1 and registers users via the admin API.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";

export interface Homeserver {
  url: string;
  serverName: string;
  sharedSecret: string;
  dir: string;
  logFile: string;
  /** Synapse's Prometheus metrics (`/_synapse/metrics`), on 127.0.0.1 beside the client port. */
  metricsUrl: string;
  /** The running Synapse's process id (a restart starts another). */
  pid(): number | undefined;
  stop(): Promise<void>;
  /** Stops Synapse, waits downMs, starts it again on the same port and data. */
  restart(downMs?: number): Promise<void>;
}

export interface StartHomeserverOptions {
  /** Keep Synapse's default `rc_message` (0.2/s, burst 10) for the fault tests. */
  rateLimited?: boolean;
  log?: (s: string) => void;
}

export interface RegisteredUser {
  userId: string;
  password: string;
  accessToken: string;
  deviceId: string;
}

const SERVER_NAME = "localhost";
const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

const unlimited = { per_second: 9999, burst_count: 9999 };

/** Every rc_* limit Synapse 1.163 reads (synapse/config/ratelimiting.py), raised to 9999. */
function rateLimits(rateLimited: boolean): Record<string, unknown> {
  const limits: Record<string, unknown> = {
    rc_registration: unlimited,
    rc_registration_token_validity: unlimited,
    rc_login: { address: unlimited, account: unlimited, failed_attempts: unlimited },
    rc_room_creation: unlimited,
    rc_joins: { local: unlimited, remote: unlimited },
    rc_joins_per_room: unlimited,
    rc_invites: { per_room: unlimited, per_user: unlimited, per_issuer: unlimited },
    rc_key_requests: unlimited,
  };
  if (rateLimited) return limits; // everything else, rc_message included, at Synapse's defaults
  return {
    ...limits,
    rc_message: unlimited,
    rc_admin_redaction: unlimited,
    rc_3pid_validation: unlimited,
    rc_third_party_invite: unlimited,
    rc_media_create: unlimited,
    rc_presence: { per_user: unlimited },
    rc_delayed_event_mgmt: unlimited,
    rc_reports: unlimited,
    rc_user_directory: unlimited,
    rc_profile: unlimited,
    federation_rr_transactions_per_room_per_second: 9999,
  };
}

function run(cmd: string, args: string[], cwd: string): Promise<string> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("error", rej);
    child.on("close", (code) => {
      if (code === 0) res(out);
      else rej(new Error(`${cmd} ${args.join(" ")} exited with ${code}:\n${err.slice(-4000)}`));
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => (port ? res(port) : rej(new Error("could not find a free port"))));
    });
  });
}

async function tail(file: string, lines: number): Promise<string> {
  if (!existsSync(file)) return "(no log file)";
  return (await readFile(file, "utf8")).split("\n").slice(-lines).join("\n");
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((res) => {
    const timer = setTimeout(() => res(false), ms);
    child.once("exit", () => {
      clearTimeout(timer);
      res(true);
    });
  });
}

export async function startHomeserver(opts: StartHomeserverOptions = {}): Promise<Homeserver> {
  const log = opts.log ?? (() => {});
  const t0 = Date.now();
  const venv =
    (await run("bash", [join(repoRoot, "scripts", "install-synapse.sh")], repoRoot))
      .trim()
      .split("\n")
      .pop() ?? "";
  const python = join(venv, "bin", "python");
  if (!existsSync(python)) throw new Error(`install-synapse.sh printed no usable venv: ${venv}`);
  log(`synapse venv ready at ${venv} (${Date.now() - t0} ms)`);

  const dir = await mkdtemp(join(tmpdir(), "tearline-synapse-"));
  const configPath = join(dir, "homeserver.yaml");
  const logFile = join(dir, "homeserver.log");
  const logConfigPath = join(dir, "log.config.yaml");
  await run(
    python,
    [
      "-m",
      "synapse.app.homeserver",
      "--generate-config",
      "--server-name",
      SERVER_NAME,
      "--config-path",
      configPath,
      "--data-directory",
      dir,
      "--report-stats=no",
    ],
    dir,
  );

  const port = await freePort();
  let metricsPort = await freePort();
  while (metricsPort === port) metricsPort = await freePort();
  const sharedSecret = randomBytes(24).toString("hex");
  const generated: unknown = parse(await readFile(configPath, "utf8"));
  if (!isRecord(generated)) throw new Error("generated Synapse config is not a mapping");
  const config: Record<string, unknown> = {
    ...generated,
    server_name: SERVER_NAME,
    pid_file: join(dir, "homeserver.pid"),
    listeners: [
      {
        port,
        bind_addresses: ["127.0.0.1"],
        type: "http",
        tls: false,
        x_forwarded: false,
        resources: [{ names: ["client"], compress: false }],
      },
      // What the benchmarks read Synapse's own CPU split from (its background processes).
      { port: metricsPort, bind_addresses: ["127.0.0.1"], type: "metrics" },
    ],
    enable_metrics: true,
    database: { name: "sqlite3", args: { database: join(dir, "homeserver.db") } },
    media_store_path: join(dir, "media_store"),
    log_config: logConfigPath,
    report_stats: false,
    trusted_key_servers: [],
    suppress_key_server_warning: true,
    bcrypt_rounds: 4,
    registration_shared_secret: sharedSecret,
    enable_registration: false,
    presence: { enabled: false },
    url_preview_enabled: false,
    ...rateLimits(opts.rateLimited ?? false),
  };
  await writeFile(configPath, stringify(config));
  await writeFile(
    logConfigPath,
    stringify({
      version: 1,
      formatters: {
        precise: {
          format: "%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - %(request)s - %(message)s",
        },
      },
      handlers: {
        file: { class: "logging.FileHandler", formatter: "precise", filename: logFile, encoding: "utf8" },
      },
      loggers: { "synapse.storage.SQL": { level: "INFO" } },
      root: { level: "INFO", handlers: ["file"] },
      disable_existing_loggers: false,
    }),
  );

  const url = `http://127.0.0.1:${port}`;
  const cleanup = async () => {
    if (!process.env.TEARLINE_KEEP_SYNAPSE) await rm(dir, { recursive: true, force: true });
  };
  let proc: Launched;
  try {
    proc = await launch(python, configPath, dir, url, logFile);
  } catch (e) {
    await cleanup();
    throw e;
  }
  const stop = async () => {
    await proc.halt();
    await cleanup();
  };
  /** Stops Synapse and starts it again on the same port and data: an outage, as clients see one. */
  const restart = async (downMs = 0) => {
    await proc.halt();
    if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
    proc = await launch(python, configPath, dir, url, logFile);
  };
  log(`synapse up at ${url} in ${Date.now() - t0} ms (dir ${dir})`);
  const pid = () => proc.pid;
  const metricsUrl = `http://127.0.0.1:${metricsPort}/_synapse/metrics`;
  return { url, serverName: SERVER_NAME, sharedSecret, dir, logFile, metricsUrl, pid, stop, restart };
}

interface Launched {
  pid: number | undefined;
  halt(): Promise<void>;
}

/** Starts the Synapse process and waits until it answers /versions. */
async function launch(
  python: string,
  configPath: string,
  dir: string,
  url: string,
  logFile: string,
): Promise<Launched> {
  const child = spawn(python, ["-m", "synapse.app.homeserver", "-c", configPath], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-8000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited: string | undefined;
  child.on("exit", (code, signal) => {
    exited = `exited with ${signal ?? code}`;
  });
  const halt = async () => {
    if (exited !== undefined) return;
    child.kill("SIGTERM");
    if (!(await waitForExit(child, STOP_GRACE_MS))) {
      child.kill("SIGKILL");
      await waitForExit(child, STOP_GRACE_MS);
    }
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (exited !== undefined) {
      throw new Error(
        `Synapse ${exited} before answering.\n--- output ---\n${output}\n--- ${logFile} ---\n${await tail(logFile, 60)}`,
      );
    }
    try {
      const r = await fetch(`${url}/_matrix/client/versions`, { signal: AbortSignal.timeout(2000) });
      if (r.ok) return { pid: child.pid, halt };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await halt();
      throw new Error(`Synapse did not answer within ${START_TIMEOUT_MS} ms.\n${await tail(logFile, 60)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Registers a user through the shared-secret admin API (`/_synapse/admin/v1/register`). */
export async function registerUser(
  hs: { url: string; sharedSecret: string },
  localpart: string,
  opts: { admin?: boolean; password?: string } = {},
): Promise<RegisteredUser> {
  const endpoint = `${hs.url}/_synapse/admin/v1/register`;
  const nonceRes = await fetch(endpoint);
  const nonceBody: unknown = await nonceRes.json();
  if (!nonceRes.ok || !isRecord(nonceBody) || typeof nonceBody.nonce !== "string") {
    throw new Error(`register nonce failed: ${nonceRes.status} ${JSON.stringify(nonceBody)}`);
  }
  const nonce = nonceBody.nonce;
  const password = opts.password ?? randomBytes(12).toString("hex");
  const admin = opts.admin ?? false;
  const mac = createHmac("sha1", hs.sharedSecret)
    .update(`${nonce}\0${localpart}\0${password}\0${admin ? "admin" : "notadmin"}`)
    .digest("hex");
  const res = await fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ nonce, username: localpart, password, admin, mac }),
  });
  const body: unknown = await res.json();
  if (
    !res.ok ||
    !isRecord(body) ||
    typeof body.user_id !== "string" ||
    typeof body.access_token !== "string" ||
    typeof body.device_id !== "string"
  ) {
    throw new Error(`register ${localpart} failed: ${res.status} ${JSON.stringify(body)}`);
  }
  return { userId: body.user_id, password, accessToken: body.access_token, deviceId: body.device_id };
}

/**
 * Lifts every per-user request limit (rc_message, which also gates room creation, invites and
 * redactions) for `userId` via the admin API — for the officers in `rateLimited` fault tests.
 * Registers a throwaway admin when no admin access token is given.
 */
export async function exemptFromRateLimits(
  hs: { url: string; sharedSecret: string },
  userId: string,
  adminToken?: string,
): Promise<void> {
  const token = adminToken ?? (await registerUser(hs, uniqueName("admin"), { admin: true })).accessToken;
  const res = await fetch(
    `${hs.url}/_synapse/admin/v1/users/${encodeURIComponent(userId)}/override_ratelimit`,
    {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ messages_per_second: 0, burst_count: 0 }),
    },
  );
  if (!res.ok) throw new Error(`override_ratelimit ${userId} failed: ${res.status} ${await res.text()}`);
}

let nameCounter = 0;
const runTag = `${process.pid.toString(36)}${randomBytes(2).toString("hex")}`;

/** A localpart unique per call (and per process), so every test gets fresh users. */
export function uniqueName(prefix = "user"): string {
  const clean = prefix.toLowerCase().replace(/[^a-z0-9._=-]/g, "_") || "user";
  nameCounter += 1;
  return `${clean}-${runTag}-${nameCounter.toString(36)}`;
}
