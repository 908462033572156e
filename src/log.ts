/** Structured JSON-lines logging; the level comes from TEARLINE_LOG_LEVEL. Never log secrets. */
const levels = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type Level = keyof typeof levels;

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

/**
 * An error as log fields: name, message, stack and its causes (where the real reason usually is,
 * e.g. PostgreSQL's). Query parameters are cut from messages: they carry decrypted text.
 */
function errorFields(value: unknown, depth = 0): unknown {
  if (!(value instanceof Error)) return value;
  const message = value.message.replace(/\nparams: [\s\S]*$/, "");
  const out: Record<string, unknown> = {
    name: value.name,
    message,
    stack: value.stack?.replace(value.message, message),
  };
  if ("code" in value) out.code = value.code;
  if (value.cause !== undefined && depth < 3) out.cause = errorFields(value.cause, depth + 1);
  return out;
}

export function createLogger(
  level: Level = "info",
  base: Record<string, unknown> = {},
  write: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Logger {
  const min = levels[level];
  const emit = (lvl: Level, msg: string, fields?: Record<string, unknown>) => {
    if (levels[lvl] < min) return;
    const out: Record<string, unknown> = { t: new Date().toISOString(), level: lvl, msg, ...base };
    for (const [k, v] of Object.entries(fields ?? {})) out[k] = errorFields(v);
    write(JSON.stringify(out));
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (f) => createLogger(level, { ...base, ...f }, write),
  };
}
