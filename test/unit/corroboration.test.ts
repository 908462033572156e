import { describe, expect, it } from "vitest";
import { corroborations } from "../../src/domain/corroboration.ts";
import type { Sighting, SightingReport } from "../../src/domain/sighting.ts";
import { matchesMessage } from "../../src/render/sighting.ts";

const WINDOW = { windowHours: 6, distanceNm: 30 };
const ROJAS = "@lo.col:example.org";
const SMITH = "@po.usa:example.org";
const NOW = new Date("2026-11-28T07:20:00Z");

const report: SightingReport = {
  kind: "vessel",
  position: { lat: 12.51, lon: -79.2, precisionM: 1111, format: "decimal" },
  seenAt: NOW,
  ids: { name: "SIN NOMBRE" },
  tlp: "amber",
};

function earlier(id: number, reporter: string, reporterPartner: string): Sighting {
  return {
    ...report,
    position: { ...report.position, lat: 12.4 },
    seenAt: new Date("2026-11-28T05:20:00Z"),
    id,
    ref: `S-${id}`,
    roomId: "!colusa:example.org",
    reporter,
    reporterPartner,
    loggedAt: new Date("2026-11-28T05:21:00Z"),
    matches: [],
  };
}

describe("corroborations", () => {
  it("counts another officer's sighting of the same name", () => {
    const matches = corroborations(report, [earlier(1, SMITH, "USA")], WINDOW, ROJAS);
    expect(matches.map((m) => m.sighting.ref)).toEqual(["S-1"]);
  });

  it("does not count the same officer's earlier report: a repeat is not corroboration", () => {
    const candidates = [earlier(1, ROJAS, "COL"), earlier(2, SMITH, "USA")];
    const matches = corroborations(report, candidates, WINDOW, ROJAS);
    expect(matches.map((m) => m.sighting.ref)).toEqual(["S-2"]);
    expect(
      matchesMessage(report, corroborations(report, [earlier(1, ROJAS, "COL")], WINDOW, ROJAS), NOW),
    ).toBe(undefined);
  });
});
