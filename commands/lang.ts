/**
 * `!lang` — the room's language; `!lang en|es|pt|fr` sets it (duty officers). A language set in
 * chat overrides tearline.yaml's `lang:`; the reply is already in the new language.
 */
import { z } from "zod";
import { DEFAULT_LANG, isLang, LANGS, type Lang } from "../src/domain/lang.ts";
import { didYouMean, didYouMeanText, err, ok, quote, type Result, t as tr } from "../src/domain/result.ts";
import { LANG_NAMES } from "../src/render/catalogue/lang.ts";
import { msg, user } from "../src/render/message.ts";
import { type CommandContext, defineCommand, type Reply, type Tokens } from "./types.ts";

export const LANG_ROLES = ["duty_officer"] as const;

export type LangArgs = { to?: string | undefined };

const LangArgsSchema = z.custom<Tokens>().transform((t, ctx): LangArgs => {
  if (t.positional.length > 1 || Object.keys(t.options).length > 0 || t.rest !== null) {
    const input = [...t.positional, ...Object.keys(t.options).map((k) => `${k}=`)].join(" ");
    ctx.issues.push({
      code: "custom",
      message: "lang.unknown",
      input: t,
      params: {
        text: tr("lang.unknown", { input: quote(input || (t.rest ?? "")), langs: LANGS.join(", ") }),
        example: "!lang es",
      },
    });
    return z.NEVER;
  }
  return { to: t.positional[0]?.toLowerCase() };
});

function configuredLang(ctx: CommandContext): Lang | undefined {
  return Object.values(ctx.config.rooms).find((r) => r.roomId === ctx.roomId)?.lang;
}

async function current(ctx: CommandContext): Promise<{ lang: Lang; setBy?: string }> {
  const chat = await ctx.repos.rooms.lang(ctx.roomId);
  if (chat !== undefined) return { lang: chat.lang, setBy: chat.setBy };
  return { lang: configuredLang(ctx) ?? DEFAULT_LANG };
}

async function show(ctx: CommandContext): Promise<Result<Reply>> {
  const now = await current(ctx);
  const source =
    now.setBy !== undefined
      ? msg("lang.fromChat", { by: user(now.setBy) })
      : configuredLang(ctx) !== undefined
        ? msg("lang.fromConfig")
        : msg("lang.fromDefault");
  return ok({
    message: msg("lang.current", {
      name: LANG_NAMES[now.lang],
      code: now.lang,
      source,
      command: `${ctx.prefix}lang ${LANGS.join("|")}`,
    }),
  });
}

async function set(ctx: CommandContext, to: string): Promise<Result<Reply>> {
  const roles = ctx.member?.roles ?? [];
  if (!LANG_ROLES.some((r) => roles.includes(r)))
    return err(tr("lang.roles", { roles: LANG_ROLES.join(", ") }));
  if (!isLang(to)) {
    const hint = didYouMeanText(didYouMean(to, LANGS));
    return err(tr("lang.unknown", { input: quote(to), langs: LANGS.join(", "), hint }), "!lang es");
  }
  const from = (await current(ctx)).lang;
  if (from === to) return ok({ message: msg("lang.unchanged", { name: LANG_NAMES[to], code: to }) });
  await ctx.repos.rooms.setLang({ roomId: ctx.roomId, lang: to, setBy: ctx.sender, setAt: ctx.now });
  return ok({
    message: msg("lang.changed", { name: LANG_NAMES[to], code: to, fromName: LANG_NAMES[from], from }),
    audit: [{ actor: ctx.sender, action: "lang.changed", roomId: ctx.roomId, detail: { from, to } }],
  });
}

export default defineCommand<LangArgs>({
  name: "lang",
  summary: "Show this room's language, or set it (en, es, pt, fr)",
  usage: "!lang [en|es|pt|fr]",
  details: [
    "Anyone on the roster sees the language; duty officers set it. Refs, TLP labels, DTGs, positions and command words stay as they are in every language.",
  ],
  examples: ["!lang", "!lang es"],
  roles: "rostered",
  args: LangArgsSchema,
  run(ctx, { to }) {
    return to === undefined ? show(ctx) : set(ctx, to);
  },
});
