/**
 * The process environment (design §6), validated once at start-up. Errors name the variable and
 * show an example; they never echo a secret (passwords, tokens, passphrases, database URLs).
 * The only module that reads `process.env` (scripts/check-layers.ts enforces it): everything else
 * gets what it needs from here, through the composition root.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import type { Level } from "../log.ts";
import { USER_ID } from "./patterns.ts";

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const satisfies readonly Level[];
/** Without DATABASE_URL, the embedded database (PGlite) keeps its files here. */
export const DEFAULT_DATA_DIR = "./.tearline";
export const DEFAULT_CONFIG_PATH = "./tearline.yaml";
export const DEFAULT_HTTP_ADDR = "127.0.0.1:8787";

/** Where `/health` and `/metrics` listen. Port 0 asks the system for a free one (tests). */
export interface HttpAddress {
  host: string;
  port: number;
}

export interface TearlineEnv {
  homeserverUrl: string;
  userId: string;
  password?: string;
  accessToken?: string;
  storePassphrase: string;
  /** A PostgreSQL server; undefined: the embedded database in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  configPath: string;
  logLevel: Level;
  deviceName?: string;
  /** Timeline events per room per sync; the crash tests lower it to force `limited` timelines. */
  syncTimelineLimit: number;
  /** Events walked back per room after an absence before the bot says it may have missed some. */
  syncMaxBackfill: number;
  /** Fault injection for the crash tests (src/bot/faults.ts); unset in production. */
  fault?: string;
  /** Tests only: one digest pass at start-up as if the clock read this instant; unset in production. */
  testRunDigestsAt?: Date;
  /** The operations listener (`/health`, `/metrics`), TEARLINE_HTTP_ADDR. */
  http: HttpAddress;
}

/** What every subcommand may use (`migrate`, `audit verify`, `check-config`); nothing in it is required. */
export type BaseEnv = Pick<TearlineEnv, "databaseUrl" | "dataDir" | "configPath" | "logLevel">;

export type EnvResult = { ok: true; env: TearlineEnv } | { ok: false; errors: string[] };
export type BaseEnvResult = { ok: true; env: BaseEnv } | { ok: false; errors: string[] };

const examples = {
  TEARLINE_HOMESERVER_URL: "https://matrix.example.org",
  TEARLINE_USER_ID: "@tearline:example.org",
  TEARLINE_PASSWORD: "<the bot account's password>",
  TEARLINE_ACCESS_TOKEN: "<an access token for the bot account>",
  TEARLINE_STORE_PASSPHRASE: '"$(openssl rand -base64 32)"',
  TEARLINE_STORE_PASSPHRASE_FILE: "/run/secrets/tearline-store-passphrase",
  TEARLINE_PASSWORD_FILE: "/run/secrets/tearline-password",
  TEARLINE_ACCESS_TOKEN_FILE: "/run/secrets/tearline-access-token",
  DATABASE_URL_FILE: "/run/secrets/tearline-database-url",
  DATABASE_URL: "postgres://tearline@127.0.0.1:5432/tearline",
  TEARLINE_DATA_DIR: "/var/lib/tearline",
  TEARLINE_CONFIG: "/etc/tearline/tearline.yaml",
  TEARLINE_LOG_LEVEL: "info",
  TEARLINE_DEVICE_NAME: "Tearline",
  TEARLINE_SYNC_TIMELINE_LIMIT: "50",
  TEARLINE_SYNC_MAX_BACKFILL: "1000",
  TEARLINE_FAULT: "crash-after-handled:20",
  TEARLINE_TEST_RUN_DIGESTS_AT: "2026-11-28T11:00:00Z",
  TEARLINE_HTTP_ADDR: "0.0.0.0:8787",
} as const;
type Variable = keyof typeof examples;

const eg = (name: Variable) => `e.g. ${name}=${examples[name]}`;
const notSet = (name: Variable) => `${name} is not set; ${eg(name)}`;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "postgres:" || url.protocol === "postgresql:";
  } catch {
    return false;
  }
}

/**
 * `host:port`: an IPv4 address or a host name, or an IPv6 address in brackets (`[::1]:8787`);
 * port 0–65535 (0: any free port, which the bot then logs).
 */
export function parseHttpAddress(text: string): HttpAddress | undefined {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(text.trim());
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port > 65_535) return undefined;
  return { host: m[1] ?? m[2] ?? "", port };
}

const BaseSchema = z.object({
  DATABASE_URL: z
    .string()
    .refine(isPostgresUrl, {
      error: () =>
        `DATABASE_URL is not a postgres:// URL; ${eg("DATABASE_URL")} (or leave it unset for the embedded database)`,
    })
    .optional(),
  TEARLINE_DATA_DIR: z.string().default(DEFAULT_DATA_DIR),
  TEARLINE_CONFIG: z.string().default(DEFAULT_CONFIG_PATH),
  TEARLINE_LOG_LEVEL: z
    .enum(LOG_LEVELS, {
      error: (iss) =>
        `TEARLINE_LOG_LEVEL=${JSON.stringify(iss.input)} is not a log level; allowed: ${LOG_LEVELS.join(", ")}`,
    })
    .default("info"),
});

// Errors are reported in the order of these keys.
const EnvSchema = z
  .object({
    TEARLINE_HOMESERVER_URL: z
      .string({ error: () => notSet("TEARLINE_HOMESERVER_URL") })
      .refine(isHttpUrl, {
        error: (iss) =>
          `TEARLINE_HOMESERVER_URL=${JSON.stringify(iss.input)} is not an http(s) URL; ${eg("TEARLINE_HOMESERVER_URL")}`,
      })
      .transform((url) => url.replace(/\/+$/, "")),
    TEARLINE_USER_ID: z.string({ error: () => notSet("TEARLINE_USER_ID") }).regex(USER_ID, {
      error: (iss) =>
        `TEARLINE_USER_ID=${JSON.stringify(iss.input)} is not a Matrix user ID; ${eg("TEARLINE_USER_ID")}`,
    }),
    TEARLINE_PASSWORD: z.string().optional(),
    TEARLINE_ACCESS_TOKEN: z.string().optional(),
    ...BaseSchema.shape,
    TEARLINE_DEVICE_NAME: z.string().optional(),
    TEARLINE_SYNC_TIMELINE_LIMIT: z
      .string()
      .regex(/^[1-9]\d{0,3}$/, {
        error: (iss) =>
          `TEARLINE_SYNC_TIMELINE_LIMIT=${JSON.stringify(iss.input)} is not a whole number from 1 to 9999; ${eg("TEARLINE_SYNC_TIMELINE_LIMIT")}`,
      })
      .default("50")
      .transform(Number),
    TEARLINE_SYNC_MAX_BACKFILL: z
      .string()
      .regex(/^[1-9]\d{0,5}$/, {
        error: (iss) =>
          `TEARLINE_SYNC_MAX_BACKFILL=${JSON.stringify(iss.input)} is not a whole number from 1 to 999999; ${eg("TEARLINE_SYNC_MAX_BACKFILL")}`,
      })
      .default("1000")
      .transform(Number),
    TEARLINE_FAULT: z.string().optional(),
    TEARLINE_HTTP_ADDR: z
      .string()
      .default(DEFAULT_HTTP_ADDR)
      .transform((text, ctx) => {
        const address = parseHttpAddress(text);
        if (address !== undefined) return address;
        ctx.addIssue({
          code: "custom",
          message: `TEARLINE_HTTP_ADDR=${JSON.stringify(text)} is not host:port (port 0–65535; IPv6 in brackets); ${eg("TEARLINE_HTTP_ADDR")}, or the default ${DEFAULT_HTTP_ADDR}`,
        });
        return z.NEVER;
      }),
    // Strict, like TEARLINE_FAULT: a typo fails start-up instead of silently testing nothing.
    TEARLINE_TEST_RUN_DIGESTS_AT: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/, {
        error: (iss) =>
          `TEARLINE_TEST_RUN_DIGESTS_AT=${JSON.stringify(iss.input)} is not an ISO 8601 instant with a zone (it is for tests only); ${eg("TEARLINE_TEST_RUN_DIGESTS_AT")}`,
      })
      .transform((text) => new Date(text))
      .optional(),
  })
  .superRefine(
    (vars, ctx) => {
      if (vars.TEARLINE_PASSWORD === undefined && vars.TEARLINE_ACCESS_TOKEN === undefined) {
        ctx.addIssue({
          code: "custom",
          message: `neither TEARLINE_PASSWORD (first start) nor TEARLINE_ACCESS_TOKEN is set; ${eg("TEARLINE_PASSWORD")}`,
        });
      }
    },
    { when: () => true },
  );

/** Blank and whitespace-only variables count as unset, as they do in most shells' `${X:-default}`. */
function variable(env: NodeJS.ProcessEnv, name: Variable): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === "" ? undefined : value;
}

/**
 * Secrets that may come from a file instead (`<NAME>_FILE`, as Docker and systemd secrets hand
 * them over): the file's text, trimmed. Setting both, or naming a file that cannot be read or is
 * empty, is an error; the error names the file, never its content.
 */
const FROM_FILE = [
  "TEARLINE_PASSWORD",
  "TEARLINE_ACCESS_TOKEN",
  "TEARLINE_STORE_PASSPHRASE",
  "DATABASE_URL",
] as const satisfies readonly Variable[];
type FileVariable = `${(typeof FROM_FILE)[number]}_FILE`;

type Values = Record<Variable, string | undefined>;

function values(
  env: NodeJS.ProcessEnv,
  readTextFile: (path: string) => string,
): { vars: Values; errors: string[] } {
  const names = Object.keys(examples) as Variable[];
  const vars = Object.fromEntries(names.map((name) => [name, variable(env, name)])) as Values;
  const errors: string[] = [];
  for (const name of FROM_FILE) {
    const fileVar: FileVariable = `${name}_FILE`;
    const file = variable(env, fileVar);
    if (file === undefined) continue;
    if (vars[name] !== undefined) {
      errors.push(`${name} and ${fileVar} are both set; set only one`);
      continue;
    }
    let text: string;
    try {
      text = readTextFile(file);
    } catch (e) {
      const code = e instanceof Error && "code" in e ? String(e.code) : "unreadable";
      errors.push(`${fileVar}=${file} cannot be read (${code})`);
      continue;
    }
    const value = text.trim();
    if (value === "") errors.push(`${fileVar}=${file} is empty`);
    else vars[name] = value;
  }
  return { vars, errors };
}

const readUtf8 = (path: string) => readFileSync(path, "utf8");

/** The settings every subcommand may use, with their defaults; does not ask for what only `run` needs. */
export function readBaseEnv(
  env: NodeJS.ProcessEnv = process.env,
  readTextFile: (path: string) => string = readUtf8,
): BaseEnvResult {
  const read = values(env, readTextFile);
  const parsed = BaseSchema.safeParse(read.vars);
  const errors = [
    ...read.errors.filter((e) => e.startsWith("DATABASE_URL")),
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => issue.message)),
  ];
  if (!parsed.success || errors.length > 0) return { ok: false, errors };
  const vars = parsed.data;
  return {
    ok: true,
    env: {
      databaseUrl: vars.DATABASE_URL,
      dataDir: vars.TEARLINE_DATA_DIR,
      configPath: vars.TEARLINE_CONFIG,
      logLevel: vars.TEARLINE_LOG_LEVEL,
    },
  };
}

/** Everything `tearline run` needs. */
export function readEnv(
  env: NodeJS.ProcessEnv = process.env,
  readTextFile: (path: string) => string = readUtf8,
): EnvResult {
  const read = values(env, readTextFile);
  const parsed = EnvSchema.safeParse(read.vars);
  const errors = parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
  errors.push(...read.errors);
  const passphrase = read.vars.TEARLINE_STORE_PASSPHRASE;
  const passphraseRead = !read.errors.some((e) => e.includes("TEARLINE_STORE_PASSPHRASE"));
  if (passphrase === undefined && passphraseRead)
    errors.push(
      `${notSet("TEARLINE_STORE_PASSPHRASE")} (or TEARLINE_STORE_PASSPHRASE_FILE=${examples.TEARLINE_STORE_PASSPHRASE_FILE}); it encrypts the crypto store at rest`,
    );
  if (!parsed.success || passphrase === undefined || errors.length > 0) return { ok: false, errors };

  const vars = parsed.data;
  return {
    ok: true,
    env: {
      homeserverUrl: vars.TEARLINE_HOMESERVER_URL,
      userId: vars.TEARLINE_USER_ID,
      password: vars.TEARLINE_PASSWORD,
      accessToken: vars.TEARLINE_ACCESS_TOKEN,
      storePassphrase: passphrase,
      databaseUrl: vars.DATABASE_URL,
      dataDir: vars.TEARLINE_DATA_DIR,
      configPath: vars.TEARLINE_CONFIG,
      logLevel: vars.TEARLINE_LOG_LEVEL,
      deviceName: vars.TEARLINE_DEVICE_NAME,
      syncTimelineLimit: vars.TEARLINE_SYNC_TIMELINE_LIMIT,
      syncMaxBackfill: vars.TEARLINE_SYNC_MAX_BACKFILL,
      fault: vars.TEARLINE_FAULT,
      http: vars.TEARLINE_HTTP_ADDR,
      ...(vars.TEARLINE_TEST_RUN_DIGESTS_AT !== undefined && {
        testRunDigestsAt: vars.TEARLINE_TEST_RUN_DIGESTS_AT,
      }),
    },
  };
}
