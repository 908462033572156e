import { type Catalogue, en } from "./en.ts";

export const portuguese: Catalogue = { ...en };
