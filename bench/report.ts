/** Numbers → BENCHMARKS.md: summaries, the machine, and the markdown tables. */
import { writeFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";

export interface Summary {
  n: number;
  min: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles over the samples (ms or any unit). */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0)
    return { n: 0, min: Number.NaN, p50: Number.NaN, p95: Number.NaN, max: Number.NaN, mean: Number.NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number): number =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    min: sorted[0] ?? Number.NaN,
    p50: at(50),
    p95: at(95),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: sum / sorted.length,
  };
}

/** `8.4 ms`, `412 ms`, `2.31 s`. */
export function ms(v: number): string {
  if (!Number.isFinite(v)) return "n/a";
  if (v < 10) return `${v.toFixed(1)} ms`;
  if (v < 1000) return `${Math.round(v)} ms`;
  return `${(v / 1000).toFixed(2)} s`;
}

/** `12 345` — thin grouping so big counts stay readable in a table. */
export function count(v: number): string {
  return Math.round(v).toLocaleString("en-US").replace(/,/g, " ");
}

export function bytes(v: number): string {
  if (v < 1024) return `${v} B`;
  if (v < 1024 * 1024) return `${(v / 1024).toFixed(1)} KiB`;
  return `${(v / 1024 / 1024).toFixed(2)} MiB`;
}

export function latency(s: Summary): string {
  return `p50 ${ms(s.p50)} · p95 ${ms(s.p95)} · max ${ms(s.max)}`;
}

export interface Row {
  metric: string;
  value: string;
  how: string;
}

export interface Section {
  title: string;
  rows: Row[];
  /** Markdown shown under the table (lists, code blocks). */
  after?: string[];
}

export interface Machine {
  node: string;
  cpu: string;
  cores: number;
  memory: string;
  platform: string;
}

export function machine(): Machine {
  const list = cpus();
  return {
    node: process.version,
    cpu: list[0]?.model.trim() ?? "unknown",
    cores: list.length,
    memory: bytes(totalmem()),
    platform: `${process.platform} ${process.arch}`,
  };
}

function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export interface Report {
  date: Date;
  machine: Machine;
  runtimeMs: number;
  /** 1-minute load average when the run started and ended: other work on the machine skews latencies. */
  load: { start: number; end: number };
  sections: Section[];
  notes: string[];
}

export function render(r: Report): string {
  const out: string[] = [
    "# Benchmarks",
    "",
    "Written by `npm run bench` (bench/run.ts); do not edit by hand. Performance is measured here, not",
    "asserted in timed tests. Every number comes from one run on the machine below, against a real",
    "Synapse on 127.0.0.1 (rate limits off), PostgreSQL, and the bot as a child process",
    "(`node dist/src/main.js run`, compiled by `npm run build` at the start of the run).",
    "",
    `- Date: ${r.date.toISOString().replace(/\.\d+Z$/, "Z")}`,
    `- Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memory} RAM, ${r.machine.platform}`,
    `- Node ${r.machine.node}; whole benchmark run: ${ms(r.runtimeMs)}`,
    `- Load average (1 min) at start / end: ${r.load.start.toFixed(2)} / ${r.load.end.toFixed(2)} on ${r.machine.cores} cores (anything else running skews the latencies)`,
    "",
  ];
  for (const s of r.sections) {
    out.push(`## ${s.title}`, "", "| Metric | Value | How measured |", "|---|---|---|");
    for (const row of s.rows) out.push(`| ${cell(row.metric)} | ${cell(row.value)} | ${cell(row.how)} |`);
    out.push("");
    if (s.after?.length) out.push(...s.after, "");
  }
  if (r.notes.length) out.push("## Notes", "", ...r.notes.map((n) => `- ${n}`), "");
  return out.join("\n");
}

export async function writeReport(path: string, r: Report): Promise<string> {
  const text = render(r);
  await writeFile(path, text);
  return text;
}

/** The 1-minute load average. */
export function load1(): number {
  return loadavg()[0] ?? 0;
}
