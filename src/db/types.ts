import { customType } from "drizzle-orm/pg-core";

/** Buffers on both drivers: postgres.js reads bytea as a Buffer, PGlite as a plain Uint8Array. */
export const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength)),
});
