export * from "./audit.ts";
export * from "./botState.ts";
export * from "./commandEvents.ts";
export * from "./cryptoStore.ts";
export * from "./events.ts";
export * from "./rfis.ts";
export * from "./sightings.ts";
export * from "./digests.ts";
