import { and, arrayOverlaps, desc, eq, gte, isNull, lte, ne, or, type SQL, sql } from "drizzle-orm";
import { identifierKeys } from "../../domain/identifiers.ts";
import type { Grading, InformationCredibility, SourceReliability } from "../../domain/marking.ts";
import { formatRef } from "../../domain/refs.ts";
import type { NewSighting, SightingRepo, SightingSearch } from "../../domain/repos.ts";
import type { Sighting, SightingReport } from "../../domain/sighting.ts";
import type { DbOrTx } from "../client.ts";
import { sightings } from "../schema/sightings.ts";

type Row = typeof sightings.$inferSelect;
type ReportColumns = Omit<
  typeof sightings.$inferInsert,
  "id" | "roomId" | "reporter" | "reporterPartner" | "loggedAt"
>;

const EARTH_RADIUS_NM = 3440.065;

function reportColumns(r: SightingReport): ReportColumns {
  return {
    kind: r.kind,
    lat: r.position.lat,
    lon: r.position.lon,
    precisionM: r.position.precisionM,
    positionFormat: r.position.format,
    seenAt: r.seenAt,
    name: r.ids.name ?? null,
    mmsi: r.ids.mmsi ?? null,
    imo: r.ids.imo ?? null,
    tail: r.ids.tail ?? null,
    plate: r.ids.plate ?? null,
    matchKeys: identifierKeys(r.ids),
    course: r.course ?? null,
    speedKt: r.speed?.knots ?? null,
    speedValue: r.speed?.value ?? null,
    speedUnit: r.speed?.unit ?? null,
    tlp: r.tlp,
    rel: r.rel ?? null,
    grading: r.grading === undefined ? null : `${r.grading.reliability}${r.grading.credibility}`,
    remarks: r.remarks ?? null,
  };
}

function parseGradingColumn(text: string | null): Grading | undefined {
  if (text === null || text.length !== 2) return undefined;
  return {
    reliability: text[0] as SourceReliability,
    credibility: Number(text[1]) as InformationCredibility,
  };
}

function toSighting(row: Row): Sighting {
  const speed =
    row.speedKt === null || row.speedUnit === null
      ? undefined
      : { knots: row.speedKt, value: row.speedValue ?? row.speedKt, unit: row.speedUnit };
  return {
    id: row.id,
    ref: formatRef("S", row.id),
    roomId: row.roomId,
    reporter: row.reporter,
    reporterPartner: row.reporterPartner,
    kind: row.kind,
    position: { lat: row.lat, lon: row.lon, precisionM: row.precisionM, format: row.positionFormat },
    seenAt: row.seenAt,
    ids: {
      name: row.name ?? undefined,
      mmsi: row.mmsi ?? undefined,
      imo: row.imo ?? undefined,
      tail: row.tail ?? undefined,
      plate: row.plate ?? undefined,
    },
    course: row.course ?? undefined,
    speed,
    tlp: row.tlp,
    rel: row.rel ?? undefined,
    grading: parseGradingColumn(row.grading),
    remarks: row.remarks ?? undefined,
    matches: row.matches,
    loggedAt: row.loggedAt,
    correctedAt: row.correctedAt ?? undefined,
    retractedAt: row.retractedAt ?? undefined,
    retractionRequestedAt: row.retractionRequestedAt ?? undefined,
    retractionRequestedBy: row.retractionRequestedBy ?? undefined,
    received:
      row.receivedFromRoom === null || row.receivedFromRef === null || row.receivedAlertRef === null
        ? undefined
        : { fromRoom: row.receivedFromRoom, fromRef: row.receivedFromRef, alertRef: row.receivedAlertRef },
  };
}

export async function createSighting(db: DbOrTx, s: NewSighting): Promise<Sighting> {
  const [row] = await db
    .insert(sightings)
    .values({
      ...reportColumns(s),
      roomId: s.roomId,
      reporter: s.reporter,
      reporterPartner: s.reporterPartner,
      loggedAt: s.loggedAt,
      matches: s.matches,
      receivedFromRoom: s.received?.fromRoom ?? null,
      receivedFromRef: s.received?.fromRef ?? null,
      receivedAlertRef: s.received?.alertRef ?? null,
    })
    .returning();
  return toSighting(row!);
}

export async function getSighting(db: DbOrTx, id: number): Promise<Sighting | undefined> {
  const [row] = await db.select().from(sightings).where(eq(sightings.id, id));
  return row === undefined ? undefined : toSighting(row);
}

export async function correctSighting(
  db: DbOrTx,
  id: number,
  r: SightingReport,
  matches: string[],
  at: Date,
): Promise<Sighting> {
  const [row] = await db
    .update(sightings)
    .set({ ...reportColumns(r), matches, correctedAt: at })
    .where(eq(sightings.id, id))
    .returning();
  if (row === undefined) throw new Error(`sighting ${id} vanished`);
  return toSighting(row);
}

export async function retractSighting(db: DbOrTx, id: number, by: string, at: Date): Promise<Sighting> {
  const [row] = await db
    .update(sightings)
    .set({ retractedAt: at, retractedBy: by })
    .where(eq(sightings.id, id))
    .returning();
  if (row === undefined) throw new Error(`sighting ${id} vanished`);
  return toSighting(row);
}

export async function requestSightingRetraction(
  db: DbOrTx,
  id: number,
  by: string,
  at: Date,
): Promise<Sighting> {
  const [row] = await db
    .update(sightings)
    .set({ retractionRequestedAt: at, retractionRequestedBy: by })
    .where(eq(sightings.id, id))
    .returning();
  if (row === undefined) throw new Error(`sighting ${id} vanished`);
  return toSighting(row);
}

export async function sightingsSharingIdentifiers(
  db: DbOrTx,
  q: { roomId: string; keys: string[]; from: Date; to: Date; excludeId?: number },
): Promise<Sighting[]> {
  if (q.keys.length === 0) return [];
  const rows = await db
    .select()
    .from(sightings)
    .where(
      and(
        eq(sightings.roomId, q.roomId),
        isNull(sightings.retractedAt),
        arrayOverlaps(sightings.matchKeys, q.keys),
        gte(sightings.seenAt, q.from),
        lte(sightings.seenAt, q.to),
        q.excludeId === undefined ? undefined : ne(sightings.id, q.excludeId),
      ),
    )
    .orderBy(desc(sightings.seenAt))
    .limit(50);
  return rows.map(toSighting);
}

/** Great-circle distance (haversine) from a point to each row, in nautical miles. */
function distanceNmFrom(lat: number, lon: number): SQL<number> {
  const [r, la, lo] = [sql`${EARTH_RADIUS_NM}::float8`, sql`${lat}::float8`, sql`${lon}::float8`];
  return sql<number>`2 * ${r} * asin(least(1, sqrt(
    power(sin(radians(${sightings.lat} - ${la}) / 2), 2) +
    cos(radians(${la})) * cos(radians(${sightings.lat})) * power(sin(radians(${sightings.lon} - ${lo}) / 2), 2)
  )))`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function searchSightings(
  db: DbOrTx,
  q: SightingSearch,
): Promise<{ sightings: Sighting[]; total: number }> {
  const pattern = q.text === undefined ? undefined : `%${escapeLike(q.text)}%`;
  const where = and(
    eq(sightings.roomId, q.roomId),
    isNull(sightings.retractedAt),
    gte(sightings.seenAt, q.since),
    q.kind === undefined ? undefined : eq(sightings.kind, q.kind),
    q.near === undefined
      ? undefined
      : sql`${distanceNmFrom(q.near.lat, q.near.lon)} <= ${q.near.radiusNm}::float8`,
    pattern === undefined
      ? undefined
      : or(
          ...[
            sightings.name,
            sightings.mmsi,
            sightings.imo,
            sightings.tail,
            sightings.plate,
            sightings.remarks,
          ].map((c) => sql`${c} ilike ${pattern}`),
        ),
  );
  const rows = await db
    .select({ row: sightings, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(sightings)
    .where(where)
    .orderBy(desc(sightings.seenAt), desc(sightings.id))
    .limit(q.limit);
  return { sightings: rows.map((r) => toSighting(r.row)), total: rows[0]?.total ?? 0 };
}

export async function sightingsReceivedVia(db: DbOrTx, alertRef: string): Promise<Sighting[]> {
  const rows = await db
    .select()
    .from(sightings)
    .where(eq(sightings.receivedAlertRef, alertRef))
    .orderBy(sightings.id);
  return rows.map(toSighting);
}

/** The sighting repository over a transaction (or the database). */
export function sightingRepo(db: DbOrTx): SightingRepo {
  return {
    create: (s) => createSighting(db, s),
    get: (id) => getSighting(db, id),
    correct: (id, r, matches, at) => correctSighting(db, id, r, matches, at),
    retract: (id, by, at) => retractSighting(db, id, by, at),
    requestRetraction: (id, by, at) => requestSightingRetraction(db, id, by, at),
    sharingIdentifiers: (q) => sightingsSharingIdentifiers(db, q),
    search: (q) => searchSightings(db, q),
    receivedVia: (ref) => sightingsReceivedVia(db, ref),
  };
}
