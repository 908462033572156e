/**
 * Pieces of the fuzz test (test/unit/fuzz.test.ts): hostile text, and a stopwatch per input that
 * tells a super-linear regular expression from a noisy machine.
 */
import fc from "fast-check";

/** The budget for one input; a catastrophic backtrack on 10k characters takes seconds, not this. */
export const BUDGET_MS = 50;
/** An input over budget is timed again this many times and fails only if even its fastest run is. */
const RETIMES = 5;

/** What a run of one kind of character is made of: separators, digits, quotes, markers, unicode. */
const UNITS = [
  ..." \t\n,;:/.-+_=°'\"“”‘’«»′″|\\()[]{}<>@#$%&*?!~^`",
  ..."0123456789",
  ..."NSEWZTJRAaxkmhdP",
  "--",
  "—",
  "–",
  "12",
  "1.",
  "1,",
  "1 ",
  "1-",
  "S-",
  "S",
  "RFI",
  "A-",
  "TLP:",
  "REL TO ",
  "USA,",
  "18PTR",
  "°30'",
  "k=",
  'a="',
  "*/",
  "1-5,",
  "é",
  "🚤",
  "👨‍👩‍👧",
  "\u0000",
  "\u202E",
  "\u200D",
  "\uFEFF",
  "\uD800",
  "\u00A0",
  "\u3000",
];

/** How long a run is: mostly short, often thousands (the lengths that expose O(n²)). */
const runLength = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 12 }) },
  { weight: 2, arbitrary: fc.integer({ min: 200, max: 5000 }) },
);

/** Up to four runs back to back, e.g. "S" + 5,000 spaces + "x", under 12k characters. */
export const runs: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.constantFrom(...UNITS), runLength), { minLength: 1, maxLength: 4 })
  .map((parts) =>
    parts
      .map(([unit, n]) => unit.repeat(n))
      .join("")
      .slice(0, 12_000),
  );

/** A 10k-character string of one fragment repeated, with something else at its end. */
export const tenK: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...UNITS), fc.constantFrom("", "x", "!", "1", " ", '"', "Z"))
  .map(([unit, tail]) => unit.repeat(Math.ceil(10_000 / unit.length)).slice(0, 10_000) + tail);

/**
 * Any text a person or a paste could produce: random code units (lone surrogates included),
 * graphemes, fragments that reach past the first check, long runs, 10k strings.
 */
export function hostile(fragments: readonly string[] = []): fc.Arbitrary<string> {
  const words = [...UNITS, ...fragments];
  return fc.oneof(
    { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 120 }) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
    {
      weight: 3,
      arbitrary: fc.array(fc.constantFrom(...words), { maxLength: 16 }).map((p) => p.join("")),
    },
    { weight: 3, arbitrary: runs },
    { weight: 1, arbitrary: tenK },
  );
}

/** The slowest inputs of a property, and every one over budget, for `expectWithinBudget`. */
export class Stopwatch<I> {
  runs = 0;
  maxMs = 0;
  readonly over: { input: I; ms: number }[] = [];

  /** Times one call; what it returns (or throws) passes through. */
  time<R>(input: I, fn: () => R): R {
    const started = performance.now();
    try {
      return fn();
    } finally {
      this.note(input, performance.now() - started);
    }
  }

  async timeAsync<R>(input: I, fn: () => Promise<R>): Promise<R> {
    const started = performance.now();
    try {
      return await fn();
    } finally {
      this.note(input, performance.now() - started);
    }
  }

  private note(input: I, ms: number): void {
    this.runs++;
    this.maxMs = Math.max(this.maxMs, ms);
    if (ms > BUDGET_MS) this.over.push({ input, ms });
  }

  /**
   * The inputs that took longer than the budget once, timed again: those whose fastest run is
   * still over it. The re-runs count the process's CPU time, not the wall clock: on a machine
   * shared by many jobs a process can wait for a core for a second at a time (seen here: inputs
   * of 15 ms measured 60 ms five times in a row), while backtracking is CPU that no wait adds to.
   */
  async slowOnes(rerun: (input: I) => unknown): Promise<{ input: I; minMs: number }[]> {
    const slow: { input: I; minMs: number }[] = [];
    for (const { input } of this.over.slice(0, 20)) {
      let minMs = Number.POSITIVE_INFINITY;
      for (let i = 0; i < RETIMES; i++) {
        const started = process.cpuUsage();
        await rerun(input);
        const used = process.cpuUsage(started);
        minMs = Math.min(minMs, (used.user + used.system) / 1000);
      }
      if (minMs > BUDGET_MS) slow.push({ input, minMs });
    }
    return slow;
  }
}

/** What a pump repeats: whitespace, digits, separators, quotes, markers, letters, unicode. */
const PUMPS = [
  " ",
  "  ",
  "\t",
  "\u00A0",
  "0",
  "1",
  "9",
  ".",
  ",",
  "-",
  "/",
  ":",
  "'",
  '"',
  "°",
  "=",
  "a",
  "Z",
  " -",
  "- ",
  "1.",
  "1,",
  "1 ",
  "--",
  "é",
  "🚤",
  "\u200D",
];
const SUFFIXES = ["", "x", "!", "1", " ", '"', "Z", "-", ".", "°", "N", "kt", "\u0000"];

/**
 * A valid example with one character class pumped a thousand to ten thousand times at some point,
 * and a tail that may spoil it: the shape that drives a backtracking regex to O(n²) or worse
 * (`S` + 10,000 spaces + `1x` against `^S\s*-?\s*\d$`).
 */
export function pumped(examples: readonly string[]): fc.Arbitrary<string> {
  return fc
    .record({
      example: fc.constantFrom(...examples),
      at: fc.nat(),
      pump: fc.constantFrom(...PUMPS),
      n: fc.integer({ min: 1000, max: 10_000 }),
      suffix: fc.constantFrom(...SUFFIXES),
    })
    .map(({ example, at, pump, n, suffix }) => {
      const i = at % (example.length + 1);
      const run = pump.repeat(Math.ceil(n / pump.length)).slice(0, n);
      return example.slice(0, i) + run + example.slice(i) + suffix;
    });
}

/** Hostile text, half of it valid examples pumped (see `pumped`). */
export function hostileNear(
  examples: readonly string[],
  fragments: readonly string[] = [],
): fc.Arbitrary<string> {
  return fc.oneof(hostile([...fragments, ...examples]), pumped(examples));
}

/** How an input is shown in a failure: its shape, not 10k characters. */
export function describeInput(text: string): string {
  const shown = text.length > 120 ? `${text.slice(0, 60)}…(${text.length} chars)…${text.slice(-40)}` : text;
  return JSON.stringify(shown);
}
