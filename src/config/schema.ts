/**
 * The shape of tearline.yaml (design §6). Keys keep their YAML spelling (`max_tlp`) so an error
 * path, the documentation and the code all say the same thing. Every mapping is strict: a typo
 * is an error, not a silently ignored setting.
 */
import { z } from "zod";
import { checkReferences } from "./references.ts";
import { describeValue } from "./messages.ts";
import { PARTNER_CODE, ROOM_ALIAS, ROOM_ID, USER_ID } from "./patterns.ts";
import { LANGS } from "../domain/lang.ts";
import { TLP_LEVELS } from "../domain/marking.ts";
import { REDACT_FIELDS, SHAREABLE_KINDS } from "../domain/sharingRule.ts";
import { parseDistanceM, parsePeriodMs } from "./units.ts";

export { PARTNER_CODE, ROOM_ALIAS, ROOM_ID, USER_ID };
// The vocabulary of markings and sharing is the domain's: the file can say nothing the rules don't know.
export const TLP_MARKINGS = TLP_LEVELS;
export const ROLES = ["liaison", "duty_officer", "approver", "commander", "operator"] as const;
export const SHARED_KINDS = SHAREABLE_KINDS;
export { REDACT_FIELDS };
export { LANGS };

/** An enum whose error names the offending value and every allowed one. */
function oneOf<const T extends readonly [string, ...string[]]>(values: T, noun: string) {
  const allowed = values.join(", ");
  return z.enum(values, {
    error: (iss) =>
      iss.input === undefined
        ? `missing; allowed: ${allowed}`
        : `${describeValue(iss.input)} is not ${noun}; allowed: ${allowed}`,
  });
}

/** A string matching `pattern`; otherwise "<value> is not <noun>; <hint>". */
function matching(pattern: RegExp, noun: string, hint: string) {
  return z.string().regex(pattern, {
    error: (iss) =>
      iss.input === undefined ? `missing; ${hint}` : `${describeValue(iss.input)} is not ${noun}; ${hint}`,
  });
}

/** A strict mapping whose unknown-key error lists the keys it does accept. */
function strict<T extends z.core.$ZodLooseShape>(shape: T) {
  const allowed = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (iss) => (iss.code === "unrecognized_keys" ? `unknown key; allowed: ${allowed}` : undefined),
  });
}

export const TlpSchema = oneOf(TLP_MARKINGS, "a TLP marking");
export const RoleSchema = oneOf(ROLES, "a role");
export const SharedKindSchema = oneOf(SHARED_KINDS, "a kind that can be shared");
export const RedactFieldSchema = oneOf(REDACT_FIELDS, "a field that can be redacted");
export const LangSchema = oneOf(LANGS, "a supported language");

const partnerCode = matching(PARTNER_CODE, "a partner code", "use 2–8 uppercase letters or digits, e.g. COL");
const roomAlias = matching(ROOM_ALIAS, "a room alias", 'use lowercase letters, digits and "-", e.g. col-usa');
const userId = matching(
  USER_ID,
  "a Matrix user ID",
  'expected "@localpart:server", e.g. "@lo.col:example.org"',
);
const roomId = z.string().regex(ROOM_ID, {
  error: (iss) =>
    iss.input === ""
      ? 'missing; quote room IDs, e.g. room: "!abc:example.org" (a bare ! starts a YAML tag)'
      : `${describeValue(iss.input)} is not a Matrix room ID; expected "!opaque" (room version 12) or "!opaque:server", as the room's settings show it`,
});

/** A quantity with its unit (`24h`, `10km`), read to a number; otherwise "<value> is not <noun>; e.g. …". */
function measured(read: (text: string) => number | undefined, noun: string, examples: string) {
  return z.unknown().transform((input, ctx) => {
    const value = typeof input === "string" ? read(input) : undefined;
    if (value !== undefined) return value;
    ctx.addIssue({
      code: "custom",
      input,
      message: `${input === undefined ? "missing" : `${describeValue(input)} is not ${noun}`}; e.g. ${examples}`,
    });
    return z.NEVER;
  });
}

/** Milliseconds. */
const period = measured(parsePeriodMs, "a period", "30m, 24h, 7d");
/** Metres. */
const distance = measured(parseDistanceM, "a distance", "10km, 500m, 5nm");

export const PartnerSchema = strict({ name: z.string().min(1) });

export const DigestScheduleSchema = strict({
  cron: z.string().min(1),
  tz: z.string().min(1).default("UTC"),
  /** Milliseconds after its time a missed digest is still posted (marked late); older ones are skipped. */
  grace: period.prefault("6h"),
});

export const RoomConfigSchema = strict({
  room: roomId,
  partners: z.array(partnerCode).min(1),
  digest: DigestScheduleSchema.optional(),
  lang: LangSchema.default("en"),
});

export const RosterEntrySchema = strict({
  partner: partnerCode,
  roles: z.array(RoleSchema).default([]),
  name: z.string().min(1).optional(),
});

export const ApprovalSchema = z.union(
  [
    z.literal("auto"),
    strict({
      role: RoleSchema,
      count: z.number().int().min(1).default(1),
      not_requester: z.boolean().default(true),
      /** Milliseconds a pending alert waits for its quorum (`expires: 24h` in the file). */
      expires: period.prefault("24h"),
    }),
  ],
  {
    error: (iss) =>
      `${iss.input === undefined ? "missing" : `${describeValue(iss.input)} is not an approval`}; ` +
      'use "auto" or a mapping { role, count, not_requester, expires }',
  },
);

// Not normalised to a list here: the cross-reference checks must still tell `to: x` from `to: [x]`
// to point at the right place. `targetsOf` reads either.
const roomAliases = z.union([roomAlias, z.array(roomAlias).min(1)], {
  error: (iss) =>
    `${iss.input === undefined ? "missing" : `${describeValue(iss.input)} is not a room alias or a list of them`}; ` +
    "e.g. usa-jtf or [usa-jtf, col-pan]",
});

export const SharingRuleSchema = strict({
  from: roomAlias,
  /** One room alias or several; read it with `targetsOf`. */
  to: roomAliases,
  kinds: z.array(SharedKindSchema).min(1),
  max_tlp: TlpSchema,
  approval: ApprovalSchema,
  redact: z.array(RedactFieldSchema).default([]),
  /** Metres: positions are snapped to a grid this coarse for the target (`10km` in the file). */
  position_precision: distance.optional(),
  /** Whether a copy relayed under this rule may itself be alerted onward from the target. */
  forward: z.boolean().default(false),
});

/** The target rooms of a rule, whether `to` names one or lists several. */
export function targetsOf(rule: Pick<SharingRule, "to">): string[] {
  return typeof rule.to === "string" ? [rule.to] : [...rule.to];
}

export const CorroborationSchema = strict({
  window_hours: z.number().positive().default(6),
  distance_nm: z.number().positive().default(30),
});

export const TrustSchema = strict({
  only_cross_signed: z.boolean().default(false),
  ignore_unverified: z.boolean().default(false),
});

const prefix = z.string().regex(/^\S{1,8}$/, {
  error: (iss) =>
    `${describeValue(iss.input)} is not a command prefix; use 1–8 non-space characters, e.g. "!"`,
});

// Cross-references run even when some fields failed (`when`), so one run reports every problem.
export const TearlineConfigSchema = strict({
  prefix: prefix.default("!"),
  partners: z.record(partnerCode, PartnerSchema),
  rooms: z.record(roomAlias, RoomConfigSchema),
  roster: z.record(userId, RosterEntrySchema).default({}),
  sharing: z.array(SharingRuleSchema).default([]),
  corroboration: CorroborationSchema.prefault({}),
  trust: TrustSchema.prefault({}),
}).superRefine(
  (config, ctx) =>
    checkReferences(config, (path, input, message) => ctx.addIssue({ code: "custom", path, input, message })),
  { when: () => true },
);

export type Tlp = z.output<typeof TlpSchema>;
export type Role = z.output<typeof RoleSchema>;
export type SharedKind = z.output<typeof SharedKindSchema>;
export type RedactField = z.output<typeof RedactFieldSchema>;
export type Lang = z.output<typeof LangSchema>;
export type Partner = z.output<typeof PartnerSchema>;
export type DigestSchedule = z.output<typeof DigestScheduleSchema>;
export type RoomConfig = z.output<typeof RoomConfigSchema>;
export type RosterEntry = z.output<typeof RosterEntrySchema>;
export type Approval = z.output<typeof ApprovalSchema>;
export type SharingRule = z.output<typeof SharingRuleSchema>;
export type Corroboration = z.output<typeof CorroborationSchema>;
export type Trust = z.output<typeof TrustSchema>;
export type TearlineConfig = z.output<typeof TearlineConfigSchema>;
