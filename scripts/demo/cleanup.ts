/** Teardown steps, run last-in first-out once, whether the demo ends, fails or is interrupted. */
import { note } from "./transcript.ts";

const steps: { name: string; fn: () => Promise<void> }[] = [];
let cleaning: Promise<void> | undefined;

export function onCleanup(name: string, fn: () => Promise<void>): void {
  steps.push({ name, fn });
}

export function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (let s = steps.pop(); s; s = steps.pop()) {
      try {
        await s.fn();
      } catch (err) {
        note(`cleanup: ${s.name} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  })();
  return cleaning;
}
