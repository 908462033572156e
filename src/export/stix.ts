/**
 * A STIX 2.1 bundle for MISP or OpenCTI. Per sighting:
 * - the thing seen, as an SDO (a sighting must be *of* an SDO): a person is an `identity`
 *   (identity_class individual); a vessel, aircraft, vehicle or other is an `infrastructure`
 *   (a physical resource, infrastructure_types unknown), named by its name or kind and ref;
 * - a `location` (latitude, longitude, `precision` in metres: the position's stated precision);
 * - a `sighting` of the first, `where_sighted_refs` the location, `first_seen` = `last_seen` =
 *   when it was seen, `count` 1.
 * No `observed-data`: STIX 2.1 wants at least one cyber-observable (SCO) in its `object_refs`,
 * and there is none for a boat. Every object is `created_by_ref` the `identity` of the partner
 * that reported it (an organization), and marked with the official TLP 2.0 `marking-definition`
 * (cti-stix-common-objects, extension-definition--60a3c5c5-…) in `object_marking_refs`; REL TO
 * is in the description and the labels. Ids are UUIDv5 of stable names, so a second export of
 * the same sighting updates the same objects.
 */
import { formatReleasability, formatTlp, type Tlp } from "../domain/marking.ts";
import type { Sighting } from "../domain/sighting.ts";
import { type ExportMeta, partnerOf, reporterOf, stableUid } from "./item.ts";
import { uuidV5 } from "./uuid.ts";

export const TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";
/** The TLP 2.0 marking-definitions published by OASIS (cti-stix-common-objects, tlp-2.0). */
export const TLP2_MARKINGS: Record<Tlp, string> = {
  clear: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
  green: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
  amber: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
  "amber+strict": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
  red: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
};
/** Their `created`, as published. */
const TLP2_CREATED = "2022-10-01T00:00:00.000Z";

type StixObject = Record<string, unknown> & { type: string; id: string };

const id = (type: string, name: string) => `${type}--${uuidV5(`${type}:${name}`)}`;

export function tlpMarking(tlp: Tlp): StixObject {
  return {
    type: "marking-definition",
    spec_version: "2.1",
    id: TLP2_MARKINGS[tlp],
    created: TLP2_CREATED,
    name: formatTlp(tlp),
    extensions: { [TLP2_EXTENSION]: { extension_type: "property-extension", tlp_2_0: tlp } },
  };
}

/** The partner's identity; a copy whose partner is unknown is credited to the room it came from. */
function creatorOf(s: Sighting, meta: ExportMeta): { key: string; name: string } {
  const partner = partnerOf(s);
  if (partner !== undefined) return { key: `partner:${partner}`, name: meta.partners[partner] ?? partner };
  const room = s.received?.fromRoom ?? meta.room;
  return { key: `room:${room}`, name: `Tearline room ${room}` };
}

function describe(s: Sighting, meta: ExportMeta): string {
  const what = s.ids.name === undefined ? s.kind : `${s.kind} "${s.ids.name}"`;
  const origin =
    s.received === undefined
      ? `${s.ref} in ${meta.room}`
      : `${s.received.fromRef} in ${s.received.fromRoom} (received in ${meta.room} as ${s.ref} by ${s.received.alertRef})`;
  const facts = [
    `${what} seen ${s.seenAt.toISOString()}`,
    origin,
    formatTlp(s.tlp),
    ...(s.rel === undefined ? [] : [formatReleasability(s.rel)]),
    ...(s.ids.mmsi === undefined ? [] : [`MMSI ${s.ids.mmsi}`]),
    ...(s.ids.imo === undefined ? [] : [`IMO ${s.ids.imo}`]),
    ...(s.ids.tail === undefined ? [] : [`tail ${s.ids.tail}`]),
    ...(s.ids.plate === undefined ? [] : [`plate ${s.ids.plate}`]),
    ...(s.course === undefined ? [] : [`course ${s.course}°`]),
    ...(s.speed === undefined ? [] : [`${Math.round(s.speed.knots * 10) / 10} kt`]),
    ...(s.grading === undefined ? [] : [`${s.grading.reliability}${s.grading.credibility}`]),
    ...(reporterOf(s) === undefined ? [] : [`reported by ${reporterOf(s)}`]),
  ];
  return s.remarks === undefined ? facts.join(" · ") : `${facts.join(" · ")} · ${s.remarks}`;
}

function objectsOf(s: Sighting, meta: ExportMeta, creator: string, stamp: string): StixObject[] {
  const uid = stableUid(s, meta.room);
  const common = {
    spec_version: "2.1",
    created: stamp,
    modified: stamp,
    created_by_ref: creator,
    object_marking_refs: [TLP2_MARKINGS[s.tlp]],
    labels: [s.kind, ...(s.rel ?? []).map((p) => `rel-to:${p}`)],
    external_references: [{ source_name: "tearline", external_id: s.ref, description: uid }],
  };
  const description = describe(s, meta);
  const name = s.ids.name === undefined ? `${s.kind} ${s.ref}` : `${s.kind} ${s.ids.name}`;
  const seen: StixObject =
    s.kind === "person"
      ? {
          type: "identity",
          id: id("identity", `seen:${uid}`),
          ...common,
          name,
          description,
          identity_class: "individual",
        }
      : {
          type: "infrastructure",
          id: id("infrastructure", `seen:${uid}`),
          ...common,
          name,
          description,
          infrastructure_types: ["unknown"],
        };
  const location: StixObject = {
    type: "location",
    id: id("location", uid),
    ...common,
    latitude: s.position.lat,
    longitude: s.position.lon,
    precision: Math.max(1, Math.round(s.position.precisionM)),
  };
  const at = s.seenAt.toISOString();
  const sighting: StixObject = {
    type: "sighting",
    id: id("sighting", uid),
    ...common,
    description,
    first_seen: at,
    last_seen: at,
    count: 1,
    sighting_of_ref: seen.id,
    where_sighted_refs: [location.id],
  };
  return [seen, location, sighting];
}

/** The bundle as an object (the file is its JSON). */
export function stixBundle(sightings: readonly Sighting[], meta: ExportMeta): Record<string, unknown> {
  const stamp = meta.generatedAt.toISOString();
  const identities = new Map<string, StixObject>();
  const tlps = new Set<Tlp>();
  const objects: StixObject[] = [];
  for (const s of sightings) {
    const c = creatorOf(s, meta);
    const creatorId = id("identity", c.key);
    if (!identities.has(creatorId)) {
      identities.set(creatorId, {
        type: "identity",
        spec_version: "2.1",
        id: creatorId,
        created: stamp,
        modified: stamp,
        name: c.name,
        identity_class: "organization",
      });
    }
    tlps.add(s.tlp);
    objects.push(...objectsOf(s, meta, creatorId, stamp));
  }
  const markings = [...tlps].map(tlpMarking);
  return {
    type: "bundle",
    id: id("bundle", `${meta.room}:${stamp}`),
    objects: [...markings, ...identities.values(), ...objects],
  };
}

export function toStix(sightings: readonly Sighting[], meta: ExportMeta): string {
  return `${JSON.stringify(stixBundle(sightings, meta), null, 2)}\n`;
}
