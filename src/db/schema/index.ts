export * from "./audit.ts";
export * from "./botState.ts";
export * from "./cryptoStore.ts";
export * from "./events.ts";
