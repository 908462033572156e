/**
 * The demo's output: each room's conversation as it happens, one line per message line, every line
 * prefixed with the room's alias (`[col-usa] Lt. Rojas (COL): !sight …`), so people can follow it and
 * a test can grep it. Setup progress and remarks go to stderr as `· …` lines.
 */
const dim = (s: string): string => (process.stderr.isTTY ? `\x1b[2m${s}\x1b[0m` : s);
const bold = (s: string): string => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);

export function print(s = ""): void {
  process.stdout.write(`${s}\n`);
}

/** Progress and commentary, on stderr so the transcript stays the conversation. */
export function note(s: string): void {
  process.stderr.write(`${dim(`· ${s}`)}\n`);
}

/** A point the story makes about what was just shown (on stdout, between the room lines). */
export function remark(s: string): void {
  print(`   ↳ ${s}`);
}

/** One message in a room: the first line after the speaker, the rest indented under it. */
export function say(room: string, who: string, text: string): void {
  const [first = "", ...rest] = text.split("\n");
  const tag = `[${room}]`;
  print(`${tag} ${bold(`${who}:`)} ${first}`);
  const pad = " ".repeat(who.length + 2);
  for (const line of rest) print(`${tag} ${pad}${line}`);
}

/** A reaction (`[col-usa] Cdr. Hale reacted ✅ to "A-1 for S-1: …"`). */
export function reacted(room: string, who: string, key: string, to: string): void {
  const first = to.split("\n")[0] ?? "";
  print(`[${room}] ${who} reacted ${key} to "${first.length > 60 ? `${first.slice(0, 57)}…` : first}"`);
}
