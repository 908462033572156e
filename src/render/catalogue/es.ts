import { type Catalogue, en } from "./en.ts";

export const spanish: Catalogue = { ...en };
