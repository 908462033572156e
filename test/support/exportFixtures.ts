/** Sightings as the export reads them: one logged in the room, one relayed into it with redactions. */
import type { Sighting } from "../../src/domain/sighting.ts";

export const SEEN = new Date("2026-11-28T07:14:00Z");

export function ownSighting(over: Partial<Sighting> = {}): Sighting {
  return {
    id: 12,
    ref: "S-12",
    roomId: "!colusa:example.org",
    reporter: "@lo.col:example.org",
    reporterPartner: "COL",
    kind: "vessel",
    position: { lat: 12.5083, lon: -79.1667, precisionM: 1852, format: "dm" },
    seenAt: SEEN,
    ids: { name: "SIN NOMBRE", mmsi: "367123450" },
    course: 45,
    speed: { knots: 32, value: 32, unit: "kt" },
    tlp: "amber",
    rel: ["USA", "COL"],
    grading: { reliability: "B", credibility: 2 },
    remarks: "go-fast, 3 outboards, no flag",
    matches: [],
    loggedAt: new Date(+SEEN + 60_000),
    ...over,
  };
}

/** A copy relayed from col-usa: reporter and remarks redacted, position coarsened to a 10 km cell. */
export function receivedSighting(over: Partial<Sighting> = {}): Sighting {
  return {
    id: 13,
    ref: "S-13",
    roomId: "!usajtf:example.org",
    reporter: "",
    reporterPartner: "COL",
    kind: "aircraft",
    position: { lat: 12.55, lon: -79.15, precisionM: 10_000, format: "decimal" },
    seenAt: new Date(+SEEN + 3_600_000),
    ids: { tail: "N4F2" },
    tlp: "green",
    matches: [],
    loggedAt: new Date(+SEEN + 7_200_000),
    received: { fromRoom: "col-usa", fromRef: "S-9", alertRef: "A-31" },
    ...over,
  };
}
