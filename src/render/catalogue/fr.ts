import { type Catalogue, en } from "./en.ts";

export const french: Catalogue = { ...en };
