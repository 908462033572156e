/**
 * The peer in benchmark 2: a bare end-to-end-encrypted echo bot on matrix-js-sdk 37.5.0 with its
 * Rust crypto (in-memory store: `initRustCrypto({ useIndexedDB: false })`). It joins every invite
 * and answers each live `!` message with a reply (`m.in_reply_to`) and a ✅ reaction, using the
 * SDK's defaults (its send scheduler orders them); it stores nothing and does no other work.
 * Run as a child process like the bot: `node --import tsx bench/echoBot.ts` with ECHO_HOMESERVER_URL,
 * ECHO_USER_ID and ECHO_PASSWORD; it prints `{"msg":"echo started"}` once its first sync is done.
 */
import {
  ClientEvent,
  createClient,
  EventType,
  type MatrixEvent,
  MsgType,
  RelationType,
  RoomEvent,
  RoomMemberEvent,
  SyncState,
} from "matrix-js-sdk";
import { quietRustTracing } from "../test/support/officer.ts";

const say = (msg: string, fields: Record<string, unknown> = {}): void => {
  process.stderr.write(`${JSON.stringify({ t: new Date().toISOString(), msg, ...fields })}\n`);
};

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
}

async function main(): Promise<void> {
  const baseUrl = env("ECHO_HOMESERVER_URL");
  const login = await createClient({ baseUrl }).loginRequest({
    type: "m.login.password",
    identifier: { type: "m.id.user", user: env("ECHO_USER_ID") },
    password: env("ECHO_PASSWORD"),
    initial_device_display_name: "echo bot",
  });
  const client = createClient({
    baseUrl,
    userId: login.user_id,
    deviceId: login.device_id,
    accessToken: login.access_token,
  });
  await quietRustTracing;
  await client.initRustCrypto({ useIndexedDB: false });
  const me = login.user_id;

  const answer = (ev: MatrixEvent): void => {
    const roomId = ev.getRoomId();
    const eventId = ev.getId();
    const body = ev.getContent().body;
    if (!roomId || !eventId || ev.getSender() === me || ev.getType() !== EventType.RoomMessage) return;
    if (typeof body !== "string" || !body.startsWith("!")) return;
    const failed = (what: string) => (err: unknown) => say(`${what} failed`, { err: String(err) });
    client
      .sendMessage(roomId, {
        msgtype: MsgType.Notice,
        body: `echo: ${body}`,
        "m.relates_to": { "m.in_reply_to": { event_id: eventId } },
      })
      .catch(failed("reply"));
    client
      .sendEvent(roomId, EventType.Reaction, {
        "m.relates_to": { rel_type: RelationType.Annotation, event_id: eventId, key: "✅" },
      })
      .catch(failed("reaction"));
  };

  client.on(RoomEvent.Timeline, (ev, _room, toStart, _removed, data) => {
    if (toStart || !data.liveEvent) return;
    if (!ev.isEncrypted()) return answer(ev);
    client.decryptEventIfNeeded(ev).then(
      () => answer(ev),
      (err: unknown) => say("decrypt failed", { err: String(err) }),
    );
  });
  client.on(RoomMemberEvent.Membership, (_ev, member) => {
    if (member.userId === me && member.membership === "invite")
      client.joinRoom(member.roomId).catch((err: unknown) => say("join failed", { err: String(err) }));
  });
  const prepared = new Promise<void>((resolve, reject) => {
    client.on(ClientEvent.Sync, (state: SyncState) => {
      if (state === SyncState.Prepared || state === SyncState.Syncing) resolve();
      else if (state === SyncState.Error) reject(new Error("first sync failed"));
    });
  });
  await client.startClient({ initialSyncLimit: 1 });
  await prepared;
  say("echo started", { userId: me, deviceId: login.device_id });
  const stop = (): void => {
    client.stopClient();
    process.exit(0);
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((err: unknown) => {
  say("echo bot failed", { err: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exit(1);
});
