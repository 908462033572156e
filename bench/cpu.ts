/**
 * Benchmark 7: the bot's own CPU per `!sight`, end to end through Synapse. CPU seconds of the bot's
 * process (/proc/<pid>/stat utime + stime) over a burst, minus what the same process burns idle
 * (its long-poll and timers) over as long. `BENCH_CPU_PROFILE=<dir>` also writes a V8 CPU profile
 * of the bot (`--cpu-prof`), written when it exits.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { BotProcess, registerBot, rosterConfig } from "../test/support/botProcess.ts";
import { createTestDatabase } from "../test/support/database.ts";
import { startHomeserver } from "../test/support/homeserver.ts";
import { Officer } from "../test/support/officer.ts";
import type { Cleanup } from "./cleanup.ts";
import { burst, type Chat, now, roundTrip } from "./latency.ts";
import { cpuTimes } from "./procCpu.ts";
import { ms, type Row } from "./report.ts";
import { type AccessEntry, endpointRows, logSize, parseAccessLog, readLogFrom } from "./synapseLog.ts";

const IDLE_WINDOW_MS = 5_000;

export const SIGHT =
  '!sight vessel 12.51,-79.17 "GO FAST 1" time=280714ZNOV26 course=045 speed=32kt -- two outboards';

/** CPU ms the process has used so far (user and system), from /proc/<pid>/stat. */
function cpuNow(pid: number): { userMs: number; systemMs: number } {
  const t = cpuTimes(pid);
  if (t === undefined) throw new Error(`no /proc/${pid}/stat: the bot has gone`);
  return t;
}

export interface CpuResult {
  n: number;
  burstMs: number;
  burstCpuMs: number;
  /** Of burstCpuMs, the kernel's part (system time): socket writes, wake-ups, page faults. */
  burstSystemMs: number;
  idleCpuPerS: number;
  perCommandMs: number;
  /** The same, over a second burst right after the first. */
  warmPerCommandMs: number;
  warmMs: number;
  /** The bot's requests during the burst, from Synapse's access log. */
  entries: AccessEntry[];
  botUser: string;
}

export async function measureCpu(
  cleanup: Cleanup,
  say: (s: string) => void,
  opts: { n: number; profileDir?: string | undefined },
): Promise<CpuResult> {
  const hs = await startHomeserver();
  cleanup.add("stop synapse", () => hs.stop());
  const db = await createTestDatabase("benchcpu");
  cleanup.add("drop database", () => db.drop());
  const account = await registerBot(hs);
  const officer = await Officer.create(hs);
  cleanup.add("stop officer", () => officer.stop());
  const env: Record<string, string> = { TEARLINE_LOG_LEVEL: "info" };
  const bot = BotProcess.start({
    homeserverUrl: hs.url,
    databaseUrl: db.url,
    account,
    config: rosterConfig([officer.userId]),
    env,
    nodeArgs: opts.profileDir ? ["--cpu-prof", `--cpu-prof-dir=${opts.profileDir}`] : [],
  });
  cleanup.add("stop bot", () => bot.stop());
  await bot.ready();
  const pid = bot.child.pid;
  if (pid === undefined) throw new Error("bot has no pid");
  const room = await officer.createRoom({ encrypted: true, invite: [account.userId] });
  await officer.waitForMembership(room, account.userId, "join");
  const chat: Chat = { officer, room, bot: account.userId };
  // Warm up: first room key, sessions, JIT.
  for (let i = 0; i < 5; i++) await roundTrip(chat, SIGHT);

  const total = (c: { userMs: number; systemMs: number }) => c.userMs + c.systemMs;
  const idleFrom = total(cpuNow(pid));
  const idleAt = now();
  await sleep(IDLE_WINDOW_MS);
  const idleCpuPerS = (total(cpuNow(pid)) - idleFrom) / ((now() - idleAt) / 1000);

  /** One burst of `!sight`: its wall time, the bot's CPU over it, and that per command, idle subtracted. */
  const measured = async () => {
    const before = cpuNow(pid);
    const t = now();
    const b = await burst(chat, opts.n, SIGHT, 600_000);
    const wallMs = now() - t;
    const after = cpuNow(pid);
    const cpuMs = total(after) - total(before);
    const perCommandMs = (cpuMs - (idleCpuPerS * wallMs) / 1000) / opts.n;
    return { b, wallMs, cpuMs, systemMs: after.systemMs - before.systemMs, perCommandMs };
  };
  const logFrom = await logSize(hs.logFile);
  const first = await measured();
  const entries = parseAccessLog((await readLogFrom(hs.logFile, logFrom)).text);
  say(
    `cpu: ${opts.n} × !sight in ${ms(first.b.allReactionsMs)}: bot ${ms(first.cpuMs)} CPU → ${first.perCommandMs.toFixed(2)} ms each`,
  );
  // The same burst again: the process has now run the first one's code paths (V8 optimises what
  // runs often, the crypto library's wasm included), as a bot some time in service has.
  const warm = await measured();
  say(`cpu: again, warm: ${warm.perCommandMs.toFixed(2)} ms each`);
  await bot.stop();
  return {
    n: opts.n,
    burstMs: first.wallMs,
    burstCpuMs: first.cpuMs,
    burstSystemMs: first.systemMs,
    idleCpuPerS,
    perCommandMs: first.perCommandMs,
    warmPerCommandMs: warm.perCommandMs,
    warmMs: warm.wallMs,
    entries,
    botUser: account.userId,
  };
}

export function cpuRows(r: CpuResult): Row[] {
  return [
    {
      metric: "bot CPU per `!sight` (goal ≤ 3 ms)",
      value: `${r.perCommandMs.toFixed(2)} ms`,
      how: `burst of ${r.n} through Synapse; /proc/<pid>/stat utime+stime, idle subtracted`,
    },
    {
      metric: "… the same burst again, right after",
      value: `${r.warmPerCommandMs.toFixed(2)} ms`,
      how: `wall ${ms(r.warmMs)}; the process has run ${r.n} more commands (V8 has optimised more of their code, the crypto wasm's included)`,
    },
    {
      metric: "bot CPU over the burst",
      value: ms(r.burstCpuMs),
      how: `wall ${ms(r.burstMs)} (reply and ✅ each); of it in the kernel (system time: socket writes to Synapse and PostgreSQL, their wake-ups) ${ms(r.burstSystemMs)}, ${Math.round((100 * r.burstSystemMs) / r.burstCpuMs)} %`,
    },
    {
      metric: "bot CPU idle",
      value: `${r.idleCpuPerS.toFixed(1)} ms/s`,
      how: `${IDLE_WINDOW_MS / 1000} s window after warm-up`,
    },
    // Per command, what the bot asked of Synapse during the burst (each request costs the bot too).
    ...endpointRows(r.entries, r.botUser, r.n),
  ];
}
