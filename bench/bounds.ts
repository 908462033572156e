/**
 * Lower bounds for the issue 9 goals that the pipeline measures, built from parts measured in the
 * same run: the crypto floor (pipeline) and the cheapest short statement as the bot sends it
 * (statements). A goal under its bound cannot be met by this design on this machine, whatever
 * the rest of the bot costs.
 */
import type { PipelineResult } from "./pipeline.ts";
import type { Row, Section } from "./report.ts";
import type { Cost } from "./statements.ts";

const THROUGHPUT_GOAL = 300;
const P50_GOAL_MS = 5;
const CPU_GOAL_MS = 3;

/** Whether a bound leaves the goal reachable: a ceiling under it, or a floor over it, does not. */
function verdict(bound: number, goal: number, higherIsBetter: boolean): string {
  if (higherIsBetter) return bound < goal ? "under the goal: out of reach" : "not ruled out by this bound";
  return bound > goal ? "over the goal: out of reach" : "not ruled out by this bound";
}

export function boundsSection(p: PipelineResult, named: (Cost & { name: string })[]): Section {
  const n = p.opts.commands;
  const floorMs = p.signedFloorMs / n;
  const shareMs = p.signedFloorShareMs / n;
  const floorRate = 1000 / floorMs;
  const seqStatements = [...p.seqStatements.values()].reduce((a, b) => a + b, 0) / p.opts.sequential;
  const cheapest = (k: keyof Cost) => Math.min(...named.map((c) => c[k]));
  const latency = floorMs + seqStatements * cheapest("wallMs");
  const cpu = floorMs + seqStatements * cheapest("botMs");
  const f = (x: number) => x.toFixed(2);
  const rows: Row[] = [
    {
      metric: `Goal 1, ≥ ${THROUGHPUT_GOAL} commands/s: what the crypto floor allows`,
      value: `${floorRate.toFixed(0)}/s · ${verdict(floorRate, THROUGHPUT_GOAL, true)}`,
      how: `1000 ms ÷ the cross-signed floor, ${f(floorMs)} ms per command (2 × shareRoomKey ${f(shareMs)} ms of it, which §3 asks for before every encrypt). The bot's device has one OlmMachine, and its wasm runs on the one thread that calls it: no spreading of the rest over cores lifts this`,
    },
    {
      metric: `Goal 1, one at a time p50 ≤ ${P50_GOAL_MS} ms: lower bound`,
      value: `${f(latency)} ms · ${verdict(latency, P50_GOAL_MS, false)}`,
      how: `the floor's ${f(floorMs)} ms of CPU + ${seqStatements.toFixed(1)} statements a lone command sends one after another (pipeline, one at a time) × the fastest named statement's round trip, ${cheapest("wallMs").toFixed(3)} ms (statements). The statements are the exactly-once path of §4: the processed event, the command's effects, its outbox rows and audit in one transaction, then the outbox's heads, the crypto-store flush, the sync token, the sent mark`,
    },
    {
      metric: `Goal 7, ≤ ${CPU_GOAL_MS} ms bot CPU per \`!sight\`: lower bound`,
      value: `${f(cpu)} ms · ${verdict(cpu, CPU_GOAL_MS, false)}`,
      how: `the floor's ${f(floorMs)} ms + the same ${seqStatements.toFixed(1)} statements × the least bot CPU per named statement, ${cheapest("botMs").toFixed(3)} ms (statements); a command reaches the bot through Synapse alone in its sync, so it takes this path. Nothing for HTTP, JSON, parsing or rendering is counted`,
    },
  ];
  return { title: "Lower bounds of the goals (issue 9), from this run's parts", rows };
}
