/** Tear-down steps run last-in first-out, each once, even when a step or the benchmark fails. */
export class Cleanup {
  private readonly steps: { name: string; fn: () => Promise<void> }[] = [];
  private running: Promise<void> | undefined;

  add(name: string, fn: () => Promise<void>): void {
    this.steps.push({ name, fn });
  }

  run(log: (s: string) => void = () => {}): Promise<void> {
    this.running ??= (async () => {
      for (let step = this.steps.pop(); step; step = this.steps.pop()) {
        try {
          await step.fn();
        } catch (err) {
          log(`cleanup: ${step.name} failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    })().finally(() => {
      // Done: steps added from now on (a later part of the benchmark) get a run of their own.
      this.running = undefined;
    });
    return this.running;
  }

  /** On Ctrl-C / SIGTERM: clean up, then exit with 130. */
  onSignals(log: (s: string) => void): void {
    const stop = (signal: NodeJS.Signals): void => {
      log(`\n${signal}: cleaning up…`);
      void this.run(log).finally(() => process.exit(130));
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  }
}
