/** Who the audit log names when the bot acts on its own (a schedule, the outbox, start-up), not for a person. */
export const BOT_ACTOR = "tearline";
