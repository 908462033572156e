/**
 * Runs Tearline as a real child process (`node dist/src/main.js run`, the compiled bot that the
 * Dockerfile and `npm start` run), as an operator would, so restart, crash (SIGKILL) and standby
 * tests exercise the real process boundary. `buildBot()` compiles it first (the tests' global
 * set-up, the demo and the benchmarks call it once).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { registerUser, uniqueName } from "./homeserver.ts";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The compiled bot's entry point (tsconfig.build.json). */
const BOT_MAIN = join(repoRoot, "dist", "src", "main.js");

/** Compiles the bot into dist/ (`npm run build`; incremental, so a second call is quick). */
export function buildBot(): void {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: repoRoot, stdio: "inherit" });
}

export interface BotAccount {
  userId: string;
  password: string;
}

export async function registerBot(hs: { url: string; sharedSecret: string }): Promise<BotAccount> {
  const user = await registerUser(hs, uniqueName("tearline"));
  return { userId: user.userId, password: user.password };
}

/** A tearline.yaml with every given user on the roster as liaison + duty officer. */
export function rosterConfig(people: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    partners: { COL: { name: "Colombian Navy" }, USA: { name: "US Coast Guard" } },
    rooms: {},
    roster: Object.fromEntries(
      people.map((p, i) => [p, { partner: i % 2 === 0 ? "COL" : "USA", roles: ["liaison", "duty_officer"] }]),
    ),
    ...extra,
  };
}

export interface BotProcessOptions {
  homeserverUrl: string;
  /** A PostgreSQL database; without it, the embedded PGlite in `dataDir` (and no DATABASE_URL at all). */
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  account: BotAccount;
  config: Record<string, unknown>;
  env?: Record<string, string>;
  passphrase?: string;
  /** Extra node flags before the script (e.g. `--cpu-prof`, which NODE_OPTIONS does not take). */
  nodeArgs?: string[];
}

export class BotProcess {
  readonly lines: string[] = [];
  readonly exited: Promise<number | null>;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly child: ChildProcess) {
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) this.lines.push(line);
      for (const w of this.waiters) w();
      if (process.env.DEBUG_BOT) process.stderr.write(chunk);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    this.exited = new Promise((res) => child.once("exit", (code) => res(code)));
  }

  static start(o: BotProcessOptions): BotProcess {
    const dir = mkdtempSync(join(tmpdir(), "tearline-bot-"));
    const configPath = join(dir, "tearline.yaml");
    writeFileSync(configPath, stringify(o.config));
    if (!existsSync(BOT_MAIN)) throw new Error(`${BOT_MAIN} is missing: run npm run build (or buildBot())`);
    const child = spawn(process.execPath, [...(o.nodeArgs ?? []), BOT_MAIN, "run"], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        TEARLINE_HOMESERVER_URL: o.homeserverUrl,
        TEARLINE_USER_ID: o.account.userId,
        TEARLINE_PASSWORD: o.account.password,
        TEARLINE_STORE_PASSPHRASE: o.passphrase ?? "test passphrase, not secret",
        ...(o.databaseUrl !== undefined && { DATABASE_URL: o.databaseUrl }),
        ...(o.dataDir !== undefined && { TEARLINE_DATA_DIR: o.dataDir }),
        TEARLINE_CONFIG: configPath,
        TEARLINE_LOG_LEVEL: "info",
        // Many bots run at once: each asks for a free port and logs it (`http listening`).
        TEARLINE_HTTP_ADDR: "127.0.0.1:0",
        ...o.env,
      },
    });
    return new BotProcess(child);
  }

  /** Resolves when a log line matches; rejects on timeout or exit, with the recent log. */
  waitForLog(pattern: RegExp, timeoutMs = 60_000, from = 0): Promise<string> {
    return new Promise((resolvePromise, reject) => {
      const check = () => {
        const hit = this.lines.slice(from).find((l) => pattern.test(l));
        if (hit) {
          cleanup();
          resolvePromise(hit);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`bot log never matched ${pattern}:\n${this.lines.slice(-30).join("\n")}`));
      }, timeoutMs);
      const onExit = () => {
        cleanup();
        reject(new Error(`bot exited before logging ${pattern}:\n${this.lines.slice(-30).join("\n")}`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
        this.child.off("exit", onExit);
      };
      this.waiters.add(check);
      this.child.once("exit", onExit);
      check();
    });
  }

  /** The base URL of its `/health` and `/metrics`, from its `http listening` log line. */
  async httpUrl(timeoutMs = 60_000): Promise<string> {
    const line = await this.waitForLog(/"msg":"http listening"/, timeoutMs);
    const { address } = JSON.parse(line) as { address: string };
    return `http://${address}`;
  }

  /** Started, holding the device lock, first sync done. */
  ready(timeoutMs = 90_000): Promise<string> {
    return this.waitForLog(/"msg":"bot started"/, timeoutMs);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 10_000);
    await this.exited;
    clearTimeout(timer);
  }

  async kill9(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill("SIGKILL");
    await this.exited;
  }
}
