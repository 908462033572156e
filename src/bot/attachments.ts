/**
 * Attachments through the outbox. A message with a file is queued like any other, in the
 * transaction of the effects that caused it, but its row carries what the file is made FROM
 * (`org.tearline.attachment`: the kind and its inputs) instead of an mxc URI: the file is
 * rendered, encrypted and uploaded by the sender just before the PUT, and the row's content becomes
 * the real `m.image`/`m.file` then. So:
 * - no network I/O inside a database transaction (an upload there would hold the (room, period)
 *   claim and a pooled connection for as long as the homeserver takes, retries included, and a
 *   rolled-back claim would leave its upload behind);
 * - a homeserver that is down delays the file like any message, and nothing is lost;
 * - a retry renders and uploads again (a fresh key each time; the orphaned earlier upload is
 *   ciphertext nobody holds the key to), and the PUT keeps the row's txn id, so the room still
 *   sees one event. The inputs are what the room may see, decided at compose time: the sender
 *   reads nothing else.
 */
import { z } from "zod";
import { SIGHTING_KINDS } from "../domain/kinds.ts";
import { renderMap } from "../map/render.ts";
import type { MatrixApi } from "../matrix/api.ts";
import { fileContent, imageContent, uploadEncrypted } from "../matrix/attachments.ts";
import type { OutboxMessage } from "../db/queries/events.ts";
import type { ExportFile } from "../export/file.ts";
import type { MapFile } from "../render/digest.ts";
import { plain } from "../render/render.ts";
import type { RoomStyle } from "./roomStyle.ts";
import type { Sender } from "./outbox.ts";

export const ATTACHMENT_KEY = "org.tearline.attachment";

const MapPng = z.object({
  kind: z.literal("map-png"),
  /** The caption (m.image `body`) and the name the file is saved under. */
  body: z.string(),
  filename: z.string(),
  map: z.object({
    sightings: z.array(
      z.object({
        ref: z.string(),
        kind: z.enum(SIGHTING_KINDS),
        lat: z.number().min(-90).max(90),
        lon: z.number().min(-180).max(180),
      }),
    ),
    period: z.object({ from: z.iso.datetime(), to: z.iso.datetime(), label: z.string() }),
    marking: z.string(),
  }),
});
export type MapPng = z.infer<typeof MapPng>;

/** An export (CoT, STIX, CSV): made when it was asked for (what the room could see then), sent as is. */
const ExportText = z.object({
  kind: z.literal("export-file"),
  filename: z.string().min(1),
  mimetype: z.string().min(1),
  text: z.string(),
});

const Attachment = z.discriminatedUnion("kind", [MapPng, ExportText]);
export type Attachment = z.infer<typeof Attachment>;

/** The outbox content for a map of the period: queue it as an `m.room.message` row. */
export function mapAttachment(p: {
  body: string;
  filename: string;
  sightings: MapPng["map"]["sightings"];
  period: { from: Date; to: Date; label: string };
  marking: string;
}): Record<string, unknown> {
  const attachment: MapPng = {
    kind: "map-png",
    body: p.body,
    filename: p.filename,
    map: {
      sightings: p.sightings,
      period: { from: p.period.from.toISOString(), to: p.period.to.toISOString(), label: p.period.label },
      marking: p.marking,
    },
  };
  return { [ATTACHMENT_KEY]: attachment };
}

/** The outbox row of a digest's map (src/render/digest.ts digestMap), for `roomId`. */
export function mapMessage(roomId: string, m: MapFile, style: RoomStyle): OutboxMessage {
  return {
    roomId,
    eventType: "m.room.message",
    content: mapAttachment({
      body: plain(m.caption, { lang: style.lang, timeZone: style.timeZone }),
      filename: m.filename,
      sightings: m.sightings,
      period: m.period,
      marking: m.marking,
    }),
  };
}

/** The outbox row of an export file, for `roomId`: an `m.file` once it is sent. */
export function exportMessage(roomId: string, f: ExportFile): OutboxMessage {
  const attachment: z.infer<typeof ExportText> = {
    kind: "export-file",
    filename: f.filename,
    mimetype: f.mimetype,
    text: f.text,
  };
  // `body` names the queued file to whoever reads the outbox; the sent content is made anew.
  return { roomId, eventType: "m.room.message", content: { body: f.filename, [ATTACHMENT_KEY]: attachment } };
}

/** The content to send for a queued attachment: rendered, encrypted, uploaded now. */
export async function materialise(
  api: Pick<MatrixApi, "upload">,
  raw: unknown,
): Promise<Record<string, unknown>> {
  const a = Attachment.parse(raw);
  if (a.kind === "export-file") {
    const upload = await uploadEncrypted(api, Buffer.from(a.text, "utf8"));
    return fileContent({ filename: a.filename, upload, mimetype: a.mimetype });
  }
  const { map } = a;
  const rendered = renderMap({
    sightings: map.sightings,
    period: { from: new Date(map.period.from), to: new Date(map.period.to), label: map.period.label },
    marking: map.marking,
  });
  const upload = await uploadEncrypted(api, rendered.png);
  return imageContent({
    body: a.body,
    filename: a.filename,
    upload,
    w: rendered.width,
    h: rendered.height,
    mimetype: "image/png",
  });
}

/** A Sender that turns queued attachments into real ones before handing them to `inner`. */
export class AttachingSender implements Sender {
  constructor(
    private readonly inner: Sender,
    private readonly api: Pick<MatrixApi, "upload">,
  ) {}

  async send(
    roomId: string,
    eventType: string,
    content: Record<string, unknown>,
    txnId: string,
    opts: { plaintextOk: boolean },
  ): Promise<string> {
    const deliver = await this.prepare(roomId, eventType, content, txnId, opts);
    return deliver();
  }

  async prepare(
    roomId: string,
    eventType: string,
    content: Record<string, unknown>,
    txnId: string,
    opts: { plaintextOk: boolean },
  ): Promise<() => Promise<string>> {
    const queued = content[ATTACHMENT_KEY];
    const real = queued === undefined ? content : await materialise(this.api, queued);
    if (this.inner.prepare) return this.inner.prepare(roomId, eventType, real, txnId, opts);
    return () => this.inner.send(roomId, eventType, real, txnId, opts);
  }
}
