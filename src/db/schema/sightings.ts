import { sql } from "drizzle-orm";
import { check, doublePrecision, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import type { SightingKind } from "../../domain/kinds.ts";
import type { Tlp } from "../../domain/marking.ts";
import type { SpeedUnit } from "../../domain/motion.ts";
import type { PositionFormat } from "../../domain/position.ts";

/** Sightings as logged; `S-<id>` is the reference people use. Retracted rows stay (audit). */
export const sightings = pgTable(
  "sightings",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    roomId: text("room_id").notNull(),
    reporter: text("reporter").notNull(),
    reporterPartner: text("reporter_partner").notNull(),
    kind: text("kind").$type<SightingKind>().notNull(),
    lat: doublePrecision("lat").notNull(),
    lon: doublePrecision("lon").notNull(),
    /** How finely the position was given, in metres. */
    precisionM: doublePrecision("precision_m").notNull(),
    positionFormat: text("position_format").$type<PositionFormat>().notNull(),
    seenAt: timestamp("seen_at", { withTimezone: true }).notNull(),
    name: text("name"),
    mmsi: text("mmsi"),
    imo: text("imo"),
    tail: text("tail"),
    plate: text("plate"),
    /** Normalised identifiers (`name:sin nombre`, `mmsi:367123450`) for corroboration. */
    matchKeys: text("match_keys").array().notNull().default(sql`'{}'::text[]`),
    course: integer("course"),
    speedKt: doublePrecision("speed_kt"),
    /** The speed as the officer gave it, for the read-back. */
    speedValue: doublePrecision("speed_value"),
    speedUnit: text("speed_unit").$type<SpeedUnit>(),
    tlp: text("tlp").$type<Tlp>().notNull(),
    rel: text("rel").array(),
    grading: text("grading"),
    remarks: text("remarks"),
    /** Refs of the sightings it matched when logged or corrected. */
    matches: text("matches").array().notNull().default(sql`'{}'::text[]`),
    loggedAt: timestamp("logged_at", { withTimezone: true }).notNull(),
    correctedAt: timestamp("corrected_at", { withTimezone: true }),
    retractedAt: timestamp("retracted_at", { withTimezone: true }),
    retractedBy: text("retracted_by"),
    /**
     * Its message was deleted where only verified devices may retract (trust.ignore_unverified):
     * a deletion is unsigned, so it only asks; `!retract` from a verified device retracts.
     */
    retractionRequestedAt: timestamp("retraction_requested_at", { withTimezone: true }),
    retractionRequestedBy: text("retraction_requested_by"),
    /** A received copy: the room and ref it came from, and the alert that brought it. */
    receivedFromRoom: text("received_from_room"),
    receivedFromRef: text("received_from_ref"),
    receivedAlertRef: text("received_alert_ref"),
  },
  (t) => [
    index("sightings_room_seen").on(t.roomId, t.seenAt),
    index("sightings_match_keys").using("gin", t.matchKeys),
    index("sightings_received_alert").on(t.receivedAlertRef),
    check("sightings_kind", sql`${t.kind} in ('vessel', 'aircraft', 'vehicle', 'person', 'other')`),
    check("sightings_tlp", sql`${t.tlp} in ('clear', 'green', 'amber', 'amber+strict', 'red')`),
    check("sightings_lat", sql`${t.lat} between -90 and 90`),
    check("sightings_lon", sql`${t.lon} between -180 and 180`),
  ],
);
