import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { connectPostgres, describePostgres, splitSocket } from "../../src/db/client.ts";

const SOCKET_DIR = "/var/run/postgresql";
const hasSocket = existsSync(`${SOCKET_DIR}/.s.PGSQL.5432`);

describe("DATABASE_URL naming a Unix socket (libpq's ?host=/folder)", () => {
  it("takes the folder out of the URL, leaving the rest", () => {
    expect(splitSocket("postgres://postgres@localhost/tl?host=/var/run/postgresql&sslmode=disable")).toEqual({
      url: "postgres://postgres@localhost/tl?sslmode=disable",
      socketDir: "/var/run/postgresql",
    });
    expect(splitSocket("postgres://postgres@127.0.0.1:5432/tl").socketDir).toBeUndefined();
    // Only a path is a socket folder; a host name stays postgres.js's to handle.
    expect(splitSocket("postgres://u@x/tl?host=db.example").socketDir).toBeUndefined();
    expect(describePostgres("postgres://u:secret@localhost/tl?host=/run/pg")).toBe("PostgreSQL /run/pg/tl");
  });

  it.skipIf(!hasSocket)("connects through the socket, not TCP", async () => {
    const sql = connectPostgres("postgres://postgres@localhost/test?host=/var/run/postgresql", { max: 1 });
    try {
      // A socket connection has no client address; a TCP one would show 127.0.0.1.
      const [row] = await sql<{ addr: string | null }[]>`select inet_client_addr()::text as addr`;
      expect(row?.addr).toBeNull();
    } finally {
      await sql.end();
    }
  });
});
