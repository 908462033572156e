/** The echo bot (bench/echoBot.ts) as a child process, the way BotProcess runs Tearline. */
import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BotAccount } from "../test/support/botProcess.ts";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

export class EchoProcess {
  readonly lines: string[] = [];
  private readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    const onData = (chunk: Buffer): void => {
      for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) this.lines.push(line);
      if (process.env.DEBUG_BOT) process.stderr.write(chunk);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
  }

  static start(homeserverUrl: string, account: BotAccount): EchoProcess {
    const child = spawn(process.execPath, ["--import", "tsx", "bench/echoBot.ts"], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        ECHO_HOMESERVER_URL: homeserverUrl,
        ECHO_USER_ID: account.userId,
        ECHO_PASSWORD: account.password,
      },
    });
    return new EchoProcess(child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Resolves once the first sync is done; rejects if the process exits or times out first. */
  ready(timeoutMs = 90_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`echo bot not ready:\n${this.tail()}`)), timeoutMs);
      const onData = (): void => {
        if (this.lines.some((l) => l.includes('"msg":"echo started"'))) done();
      };
      const onExit = (): void => done(new Error(`echo bot exited:\n${this.tail()}`));
      const done = (err?: Error): void => {
        clearTimeout(timer);
        this.child.stderr?.off("data", onData);
        this.child.off("exit", onExit);
        if (err) reject(err);
        else resolve();
      };
      this.child.stderr?.on("data", onData);
      this.child.once("exit", onExit);
      onData();
    });
  }

  private tail(): string {
    return this.lines.slice(-20).join("\n");
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}
