/**
 * The layering rules (house style "layers that only point inward", design §2), as data, and a
 * checker over the import specifiers of src/ and commands/. `npm run lint` runs it through
 * scripts/check-layers.ts, so a wrong import fails the lint instead of eroding the layers.
 *
 * The one exception, decided here: src/db implements interfaces that other layers own. The
 * repository ports live in src/domain (both commands/ and src/db may import the domain), so that
 * needs no exception; the crypto store's persistence is owned by src/matrix, and src/db may import
 * exactly that file, type-only (`import type`), to implement it. Only src/main.ts and src/bot/
 * import everything and wire it. src/ops/ (the /health and /metrics listener) is given its checks
 * and counts by src/bot/ and owns prom-client.
 *
 * Written over the TypeScript AST rather than biome's `noRestrictedImports`, because the rules are
 * about where the imported file is (relative specifiers resolved), whether an import is type-only,
 * and where `process.env` is read, none of which a glob over the specifier's text can say.
 */
import { readdir, readFile } from "node:fs/promises";
import { posix } from "node:path";
import ts from "typescript";

export interface Violation {
  /** Posix path from the project root. */
  file: string;
  line: number;
  message: string;
}

/** A layer: the files under `path` (a folder ending in `/`, or one file). */
interface Rule {
  path: string;
  /** Files and folders of the project this layer must not import (folders end in `/`). */
  forbidden?: readonly string[];
  /** If set, the only project paths it may import (besides itself). */
  onlyFrom?: readonly string[];
  /** If set, the only packages it may import; otherwise any but `forbiddenPackages`. */
  onlyPackages?: readonly string[];
  forbiddenPackages?: readonly string[];
  /** Project files it may import type-only although they are under a forbidden path. */
  typeOnly?: readonly string[];
}

/** Packages that are SQL or Matrix: only src/db and src/matrix may use them (see `OWNED_PACKAGES`). */
const SQL = ["drizzle-orm", "postgres", "@electric-sql/pglite"];
const MATRIX = ["@matrix-org/matrix-sdk-crypto-wasm", "fake-indexeddb", "matrix-js-sdk"];

export const RULES: readonly Rule[] = [
  {
    path: "commands/",
    forbidden: ["src/db/", "src/matrix/", "src/bot/", "src/main.ts"],
    forbiddenPackages: [...SQL, ...MATRIX],
  },
  { path: "src/domain/", onlyFrom: ["src/domain/"], onlyPackages: ["zod", "mgrs"] },
  // Export formats (CoT, STIX, CSV): pure too, sightings in, file text out; node:crypto only for
  // the SHA-1 of STIX's name-based (UUIDv5) ids.
  { path: "src/export/", onlyFrom: ["src/export/", "src/domain/"], onlyPackages: ["node:crypto"] },
  // Rendering is pure too: data and the catalogue in, text out.
  { path: "src/render/", onlyFrom: ["src/render/", "src/domain/"], onlyPackages: [] },
  // The period map: pure too, but it needs its renderer, its geometry and its font, which it reads
  // from node_modules once (hence node:fs and node:module); it knows nothing of Matrix or SQL.
  {
    path: "src/map/",
    onlyFrom: ["src/map/", "src/domain/", "src/render/"],
    onlyPackages: [
      "@resvg/resvg-js",
      "world-atlas",
      "topojson-client",
      "dejavu-fonts-ttf",
      "node:fs",
      "node:module",
    ],
  },
  {
    path: "src/matrix/",
    forbidden: ["src/db/", "src/bot/", "commands/", "src/main.ts"],
    forbiddenPackages: SQL,
  },
  {
    path: "src/db/",
    forbidden: ["src/bot/", "src/matrix/", "commands/", "src/main.ts"],
    forbiddenPackages: MATRIX,
    typeOnly: ["src/matrix/cryptoPersistence.ts"],
  },
  { path: "src/config/", forbidden: ["src/db/", "src/matrix/", "src/bot/", "commands/", "src/main.ts"] },
  // The operations listener and the metrics: HTTP and prom-client over what it is given (checks,
  // counts); it reads neither the database nor the homeserver itself.
  {
    path: "src/ops/",
    onlyFrom: ["src/ops/", "src/log.ts"],
    onlyPackages: ["prom-client", "node:http", "node:net"],
  },
];

/** Packages only their owning layer may import, wherever else in src/ or commands/ they turn up. */
const OWNED_PACKAGES: ReadonlyArray<{ packages: readonly string[]; owner: string }> = [
  { packages: SQL, owner: "src/db/" },
  { packages: MATRIX, owner: "src/matrix/" },
  { packages: ["prom-client"], owner: "src/ops/" },
];

/** The only file of src/ and commands/ that may read `process.env`. */
export const ENV_READER = "src/config/env.ts";

/** The folders the rules cover; tests, benchmarks and scripts wire what they like. */
export const CHECKED = ["src", "commands"];

const under = (file: string, path: string) => (path.endsWith("/") ? file.startsWith(path) : file === path);

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

interface ImportRef {
  specifier: string;
  typeOnly: boolean;
  line: number;
}

function lineOf(source: ts.SourceFile, node: ts.Node): number {
  return source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
}

/** Every module the file refers to: imports, re-exports, `import()` and `import("…")` types. */
function importsOf(source: ts.SourceFile): ImportRef[] {
  const found: ImportRef[] = [];
  const add = (spec: ts.Node | undefined, typeOnly: boolean, at: ts.Node) => {
    if (spec !== undefined && ts.isStringLiteralLike(spec))
      found.push({ specifier: spec.text, typeOnly, line: lineOf(source, at) });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const allTypes =
        clause !== undefined &&
        clause.name === undefined &&
        named !== undefined &&
        ts.isNamedImports(named) &&
        named.elements.length > 0 &&
        named.elements.every((e) => e.isTypeOnly);
      add(node.moduleSpecifier, clause?.isTypeOnly === true || allTypes, node);
    } else if (ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier, node.isTypeOnly, node);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node.isTypeOnly, node);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0], false, node);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, true, node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Lines that read the environment: `process.env`, `process["env"]`, or `env` from node:process. */
function envReadsOf(source: ts.SourceFile): number[] {
  const lines: number[] = [];
  const isProcess = (e: ts.Expression) => ts.isIdentifier(e) && e.text === "process";
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && isProcess(node.expression) && node.name.text === "env")
      lines.push(lineOf(source, node));
    else if (
      ts.isElementAccessExpression(node) &&
      isProcess(node.expression) &&
      ts.isStringLiteralLike(node.argumentExpression) &&
      node.argumentExpression.text === "env"
    )
      lines.push(lineOf(source, node));
    else if (
      ts.isImportDeclaration(node) &&
      ts.isStringLiteralLike(node.moduleSpecifier) &&
      ["process", "node:process"].includes(node.moduleSpecifier.text)
    ) {
      const named = node.importClause?.namedBindings;
      if (
        named &&
        ts.isNamedImports(named) &&
        named.elements.some((e) => (e.propertyName ?? e.name).text === "env")
      )
        lines.push(lineOf(source, node));
    } else if (
      ts.isVariableDeclaration(node) &&
      node.initializer !== undefined &&
      isProcess(node.initializer) &&
      ts.isObjectBindingPattern(node.name) &&
      node.name.elements.some((e) => (e.propertyName ?? e.name).getText(source) === "env")
    )
      lines.push(lineOf(source, node));
    ts.forEachChild(node, visit);
  };
  visit(source);
  return lines;
}

/** The layering violations of one file, given its posix path from the project root and its text. */
export function checkSource(file: string, text: string): Violation[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const rule = RULES.find((r) => under(file, r.path));
  const violations: Violation[] = [];
  const report = (line: number, message: string) => violations.push({ file, line, message });

  for (const ref of importsOf(source)) {
    const relative = ref.specifier.startsWith("./") || ref.specifier.startsWith("../");
    if (relative) {
      const target = posix.normalize(posix.join(posix.dirname(file), ref.specifier));
      if (rule === undefined || under(target, rule.path)) continue;
      const allowedTypeOnly = ref.typeOnly && (rule.typeOnly ?? []).some((p) => under(target, p));
      const forbidden = (rule.forbidden ?? []).find((p) => under(target, p));
      if (forbidden !== undefined && !allowedTypeOnly) {
        const hint = (rule.typeOnly ?? []).some((p) => under(target, p)) ? " (only with `import type`)" : "";
        report(ref.line, `${rule.path} must not import from ${forbidden}: ${ref.specifier}${hint}`);
      } else if (rule.onlyFrom !== undefined && !rule.onlyFrom.some((p) => under(target, p))) {
        report(ref.line, `${rule.path} may import only from ${rule.onlyFrom.join(", ")}: ${ref.specifier}`);
      }
      continue;
    }
    const pkg = packageName(ref.specifier);
    if (rule?.onlyPackages !== undefined && !rule.onlyPackages.includes(pkg)) {
      report(ref.line, `${rule.path} may use only the packages ${rule.onlyPackages.join(", ")}: ${pkg}`);
      continue;
    }
    if (rule?.forbiddenPackages?.includes(pkg)) {
      report(ref.line, `${rule.path} must not use ${pkg}`);
      continue;
    }
    const owned = OWNED_PACKAGES.find((o) => o.packages.includes(pkg));
    if (owned !== undefined && !under(file, owned.owner))
      report(ref.line, `only ${owned.owner} may use ${pkg}`);
  }
  if (file !== ENV_READER)
    for (const line of envReadsOf(source))
      report(line, `process.env is read only in ${ENV_READER} (readEnv); pass the value in`);
  return violations;
}

async function sourceFiles(root: string, dir: string): Promise<string[]> {
  const entries = await readdir(posix.join(root, dir), { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const e of entries) {
    const path = posix.join(dir, e.name);
    if (e.isDirectory()) files.push(...(await sourceFiles(root, path)));
    // Tests beside the code (`*.test.ts`) may import their runner and wire what they like.
    else if (/\.(?:ts|mts|cts|tsx)$/.test(e.name) && !/\.(?:d|test)\.ts$/.test(e.name)) files.push(path);
  }
  return files;
}

/** Every violation in the checked folders under `root`. */
export async function checkTree(root: string): Promise<Violation[]> {
  const files = (await Promise.all(CHECKED.map((d) => sourceFiles(root, d)))).flat().sort();
  const all = await Promise.all(
    files.map(async (file) => checkSource(file, await readFile(posix.join(root, file), "utf8"))),
  );
  return all.flat();
}
