/**
 * No Docker engine runs here, so docker-compose.yml, .dockerignore and the Dockerfile are checked
 * for their structure: the four services, each with a health check, data in named volumes,
 * start-up ordered on health, and no secret written in them (secrets come from files).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = new URL("../../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");

interface Service {
  image?: string;
  build?: unknown;
  command?: unknown;
  restart?: string;
  environment?: Record<string, string> | string[];
  secrets?: (string | { source: string })[];
  volumes?: (string | { type?: string; source?: string; target: string })[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[] | string; disable?: boolean };
  ports?: string[];
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  secrets?: Record<string, { file?: string; environment?: string; external?: boolean }>;
  configs?: Record<string, { file?: string; content?: string }>;
}

const compose = parse(read("docker-compose.yml")) as Compose;
const LONG_RUNNING = ["postgres", "synapse", "tearline", "element"];

function environment(s: Service): Record<string, string> {
  if (Array.isArray(s.environment))
    return Object.fromEntries(s.environment.map((e) => [e.split("=")[0], e.split("=").slice(1).join("=")]));
  return Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, String(v)]));
}

const mounts = (s: Service) =>
  (s.volumes ?? []).map((v) => {
    if (typeof v !== "string") return { source: v.source ?? "", target: v.target };
    const [source = "", target = ""] = v.split(":");
    return { source, target };
  });

const secretNames = (s: Service) => (s.secrets ?? []).map((x) => (typeof x === "string" ? x : x.source));

describe("docker-compose.yml", () => {
  it("runs Synapse, PostgreSQL, Tearline and Element Web, each with a health check", () => {
    for (const name of LONG_RUNNING) {
      const s = compose.services[name];
      expect(s, name).toBeDefined();
      const test = s?.healthcheck?.test;
      expect(s?.healthcheck?.disable, name).not.toBe(true);
      expect(Array.isArray(test) ? test.length : (test ?? "").length, `${name} healthcheck`).toBeGreaterThan(
        1,
      );
      expect(s?.restart, name).toBe("unless-stopped");
    }
    // Anything else is a one-shot the others wait for.
    for (const [name, s] of Object.entries(compose.services))
      if (!LONG_RUNNING.includes(name)) expect(s.restart, name).toBe("no");
  });

  it("checks Tearline by its /health, on an address reachable inside the container", () => {
    const t = compose.services.tearline as Service;
    expect(environment(t).TEARLINE_HTTP_ADDR).toBe("0.0.0.0:8787");
    expect(JSON.stringify(t.healthcheck?.test)).toContain("http://127.0.0.1:8787/health");
    // Published to this host's loopback only.
    expect(t.ports).toEqual(["127.0.0.1:8787:8787"]);
  });

  it("keeps data in named volumes", () => {
    const declared = Object.keys(compose.volumes ?? {});
    const dataOf: Record<string, string> = { postgres: "/var/lib/postgresql/data", synapse: "/data" };
    for (const [name, target] of Object.entries(dataOf)) {
      const m = mounts(compose.services[name] as Service).find((v) => v.target === target);
      expect(m, `${name} ${target}`).toBeDefined();
      expect(declared, `${name}'s volume ${m?.source}`).toContain(m?.source);
    }
    for (const [name, s] of Object.entries(compose.services))
      for (const m of mounts(s))
        expect(declared, `${name} mounts ${m.source}: a named volume, not a host folder`).toContain(m.source);
  });

  it("starts each service once what it needs is healthy (or, for one-shots, done)", () => {
    const needs: Record<string, string[]> = { tearline: ["postgres", "synapse"], element: ["synapse"] };
    for (const [name, deps] of Object.entries(needs)) {
      const d = compose.services[name]?.depends_on;
      expect(Array.isArray(d), `${name} depends_on must carry conditions`).toBe(false);
      for (const dep of deps)
        expect((d as Record<string, { condition: string }>)[dep]?.condition, `${name} → ${dep}`).toBe(
          "service_healthy",
        );
    }
    for (const [name, s] of Object.entries(compose.services)) {
      if (s.depends_on === undefined) continue;
      expect(Array.isArray(s.depends_on), name).toBe(false);
      for (const [dep, { condition }] of Object.entries(
        s.depends_on as Record<string, { condition: string }>,
      )) {
        const oneShot = compose.services[dep]?.restart === "no";
        expect(condition, `${name} → ${dep}`).toBe(
          oneShot ? "service_completed_successfully" : "service_healthy",
        );
      }
    }
  });

  it("writes no secret inline: passwords, passphrases, tokens and the database URL come from secret files", () => {
    const secretish = /PASSWORD|PASSPHRASE|TOKEN|SECRET|DATABASE_URL/;
    for (const [name, s] of Object.entries(compose.services)) {
      for (const [key, value] of Object.entries(environment(s))) {
        if (!secretish.test(key)) continue;
        expect(key, `${name}.${key} must be a *_FILE variable`).toMatch(/_FILE$/);
        const secret = /^\/run\/secrets\/([\w.-]+)$/.exec(value)?.[1];
        expect(secret, `${name}.${key}=${value} must name a mounted secret`).toBeDefined();
        expect(secretNames(s), `${name} must mount the secret ${secret}`).toContain(secret);
      }
      for (const secret of secretNames(s)) expect(Object.keys(compose.secrets ?? {})).toContain(secret);
    }
    const secrets = Object.entries(compose.secrets ?? {});
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    for (const [name, s] of secrets) {
      expect(s.file, `secret ${name}`).toMatch(/^\.\/secrets\/[\w.-]+$/);
      expect(s.environment, `secret ${name}`).toBeUndefined();
    }
    const tearline = environment(compose.services.tearline as Service);
    for (const key of ["TEARLINE_STORE_PASSPHRASE_FILE", "TEARLINE_PASSWORD_FILE", "DATABASE_URL_FILE"])
      expect(tearline[key], key).toMatch(/^\/run\/secrets\//);
    for (const c of Object.values(compose.configs ?? {})) expect(c.content).toBeUndefined();
    // No `${VAR}` stand-ins either: a secret typed on the command line ends up in shell history.
    expect(read("docker-compose.yml")).not.toMatch(/\$\{[A-Z_]*(PASSWORD|PASSPHRASE|TOKEN|SECRET)/);
  });
});

describe("the image", () => {
  it(".dockerignore keeps the operator's configuration, secrets, data and signing keys out", () => {
    const entries = read(".dockerignore")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "" && !l.startsWith("#"));
    for (const e of [
      "tearline.yaml",
      ".env",
      ".tearline/",
      "secrets/",
      "*.signing.key",
      "node_modules",
      ".git",
    ])
      expect(entries, e).toContain(e);
    expect(entries.some((e) => e.startsWith("!"))).toBe(false);
  });

  it("the Dockerfile bakes in no secret", () => {
    const dockerfile = read("Dockerfile");
    expect(dockerfile).not.toMatch(/^\s*(ENV|ARG)\s+\S*(PASSWORD|PASSPHRASE|TOKEN|SECRET|DATABASE_URL)/im);
    expect(dockerfile).not.toMatch(/COPY\s+\S*(tearline\.yaml|secrets|\.env)/);
  });
});
