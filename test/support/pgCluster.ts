/**
 * A PostgreSQL cluster of a test's own (Debian's pg_createcluster/pg_ctlcluster), so that
 * restarting it mid-workload disturbs no other test file: they all use the shared one on 5432.
 * Trust authentication on 127.0.0.1 (initdb --auth=trust), a free port, dropped at the end.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { promisify } from "node:util";

const run = promisify(execFile);
const VERSION = "15";

export interface PgCluster {
  url: string;
  restart(): Promise<void>;
  drop(): Promise<void>;
}

/** Why this machine cannot run the test (no tools, not root), or undefined if it can. */
export function clusterUnavailable(): string | undefined {
  for (const tool of ["pg_createcluster", "pg_ctlcluster", "pg_dropcluster"])
    if (!existsSync(`/usr/bin/${tool}`)) return `${tool} is not installed (Debian's postgresql-common)`;
  if (!existsSync(`/usr/lib/postgresql/${VERSION}/bin/postgres`))
    return `PostgreSQL ${VERSION} is not installed`;
  if (process.getuid?.() !== 0) return "pg_ctlcluster needs root (or the postgres user) to start a cluster";
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.on("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => (port ? res(port) : rej(new Error("no free port"))));
    });
  });
}

export async function createCluster(): Promise<PgCluster> {
  const name = `tl_fault_${randomBytes(3).toString("hex")}`;
  const port = await freePort();
  await run("pg_createcluster", [VERSION, name, "-p", String(port), "--", "--auth=trust"]);
  const ctl = (action: string) => run("pg_ctlcluster", [VERSION, name, action]);
  try {
    await ctl("start");
  } catch (e) {
    await run("pg_dropcluster", [VERSION, name, "--stop"]).catch(() => {});
    throw e;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async restart() {
      await ctl("restart");
    },
    async drop() {
      await run("pg_dropcluster", [VERSION, name, "--stop"]);
    },
  };
}
