/**
 * Vitest reporter: when the run failed, prints the tail of the Synapse log written by the
 * global set-up (path in TEARLINE_SYNAPSE_LOG; reporters run in the main process, before teardown).
 */
import { existsSync, readFileSync } from "node:fs";
import type { Reporter, TestRunEndReason } from "vitest/node";

const TAIL_LINES = 200;

export default class SynapseLogReporter implements Reporter {
  onTestRunEnd(_modules: unknown, _errors: unknown, reason: TestRunEndReason): void {
    if (reason !== "failed") return;
    const file = process.env.TEARLINE_SYNAPSE_LOG;
    if (!file || !existsSync(file)) return;
    const lines = readFileSync(file, "utf8").trimEnd().split("\n").slice(-TAIL_LINES);
    process.stderr.write(
      `\n--- last ${lines.length} lines of Synapse log ${file} ---\n${lines.join("\n")}\n--- end of Synapse log ---\n`,
    );
  }
}
