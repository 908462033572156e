/** CPU time (user + system) a process has used so far, from /proc (Linux); undefined elsewhere. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

let ticks: number | undefined;

function ticksPerSecond(): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

export function cpuMs(pid: number | undefined): number | undefined {
  const t = cpuTimes(pid);
  return t && t.userMs + t.systemMs;
}

/** The same, split: in the process's own code (user) and in the kernel on its behalf (system). */
export function cpuTimes(pid: number | undefined): { userMs: number; systemMs: number } | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start at ")": utime is the 14th field.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const perTick = 1000 / ticksPerSecond();
    return { userMs: Number(fields[11]) * perTick, systemMs: Number(fields[12]) * perTick };
  } catch {
    return undefined;
  }
}

/**
 * CPU ms every process on the machine has used so far, and how many cores there are, from
 * /proc/stat (user, nice, system, irq, softirq, steal: all but idle and iowait); undefined
 * elsewhere.
 */
export function machineCpuMs(): { busyMs: number; cores: number } | undefined {
  try {
    const lines = readFileSync("/proc/stat", "utf8").split("\n");
    const all = (lines[0] ?? "").trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = all;
    const cores = lines.filter((l) => /^cpu\d+ /.test(l)).length;
    return { busyMs: ((user + nice + system + irq + softirq + steal) * 1000) / ticksPerSecond(), cores };
  } catch {
    return undefined;
  }
}
