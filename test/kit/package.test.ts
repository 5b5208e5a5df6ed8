// The library as the npm package `gates-to-digits` (lib/package.json): what `npm pack -w lib` puts in the tarball
// that the starter kits ship and that `npm publish -w lib` would publish, and the dependencies it declares.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");
const LIB = join(ROOT, "lib");
const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8"));
const lib = readJson(join(LIB, "package.json"));
const root = readJson(join(ROOT, "package.json"));

function filesIn(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = join(dir, name);
    return statSync(file).isDirectory() ? filesIn(file) : [file];
  });
}

const sources = filesIn(join(LIB, "src")).filter((f) => f.endsWith(".ts"));
/**
 * The browser side of the platform is shipped as source only: it reads import.meta.url, so tsc's CommonJS
 * build leaves it out (lib/tsconfig.json) and a bundler compiles it (scripts/book/library-bundle.ts).
 */
const SOURCE_ONLY = new Set(["src/platform/browser.ts"]);
const compiled = sources.filter((s) => !SOURCE_ONLY.has(relative(LIB, s)));

/**
 * The packages lib/src loads at run time: bare `import … from`, `require(…)` and `require.resolve(…)`. A
 * resolve with `{ paths }` looks inside another package (display.ts finds tslab's own zeromq) and is not counted.
 */
function runtimeImports(): Map<string, string> {
  const found = new Map<string, string>();
  const note = (spec: string, file: string) => {
    if (spec.startsWith(".") || spec.startsWith("node:") || builtinModules.includes(spec)) return;
    const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
    found.set(name, relative(LIB, file));
  };
  for (const file of sources) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/^import (?!type\b)[^;]*? from "([^"]+)"/gms)) note(m[1], file);
    for (const m of text.matchAll(/\brequire(?:\.resolve)?\(\s*"([^"]+)"\s*\)/g)) note(m[1], file);
  }
  return found;
}

describe("lib/package.json", () => {
  it("names the package gates-to-digits, publishable (not private), under the repository's licence", () => {
    expect(lib.name).toBe("gates-to-digits");
    expect(lib.private).toBeUndefined();
    expect(lib.license).toBe(root.license);
    expect(readFileSync(join(LIB, "LICENSE"), "utf8")).toBe(
      readFileSync(join(ROOT, "LICENSE"), "utf8"),
    );
    expect(lib.exports["."]).toEqual({
      types: "./build/index.d.ts",
      default: "./build/index.js",
    });
    // tslab resolves modules the Node 10 way, which reads main and types, not exports.
    expect([lib.main, lib.types]).toEqual(["build/index.js", "build/index.d.ts"]);
  });

  it("declares every package lib/src loads at run time, tslab as an optional peer", () => {
    const declared = { ...lib.dependencies, ...lib.peerDependencies };
    for (const [name, file] of runtimeImports())
      expect(declared, `${file} loads ${name}`).toHaveProperty([name]);
    expect(lib.peerDependenciesMeta.tslab.optional).toBe(true);
    // The declarations (build/**/*.d.ts) name plotly.js's types: a reader's tslab needs them to type-check.
    expect(lib.dependencies).toHaveProperty(["@types/plotly.js"]);
  });

  it("pins each dependency at the version installed here (the one the tests ran with)", () => {
    for (const [name, version] of Object.entries(lib.dependencies as Record<string, string>)) {
      const installed = readJson(join(ROOT, "node_modules", name, "package.json")).version;
      expect(version, name).toBe(installed);
    }
  });

  it("is a workspace of the repository, linked into node_modules under its name", () => {
    expect(root.workspaces).toEqual(["lib"]);
    expect(realpathSync(join(ROOT, "node_modules", "gates-to-digits"))).toBe(realpathSync(LIB));
  });
});

describe("npm pack -w lib", () => {
  // --ignore-scripts: the global setup has built lib/ already, so prepack's build is not needed here.
  const report = JSON.parse(
    execFileSync("npm", ["pack", "-w", "lib", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }),
  )[0] as { files: { path: string }[]; size: number; filename: string };
  const packed = report.files.map((f) => f.path).sort();

  it("holds the compiled library, its declarations, the WebAssembly kernels and the sources showSource reads", () => {
    console.log(`${report.filename}: ${report.size} bytes, ${packed.length} files`);
    for (const file of [
      "package.json",
      "README.md",
      "LICENSE",
      "build/kernels.wasm",
      "build/kernels-unshared.wasm",
    ])
      expect(packed).toContain(file);
    for (const source of sources) expect(packed).toContain(relative(LIB, source));
    for (const source of compiled) {
      const name = relative(LIB, source);
      expect(packed).toContain(name.replace(/^src/, "build").replace(/\.ts$/, ".js"));
      expect(packed).toContain(name.replace(/^src/, "build").replace(/\.ts$/, ".d.ts"));
    }
  });

  it("and nothing else: no source maps, configs or stale files, and under 400 kB compressed", () => {
    const expected = new Set([
      "package.json",
      "README.md",
      "LICENSE",
      "build/kernels.wasm",
      "build/kernels-unshared.wasm",
      "src/backends/kernels.wat",
      ...[...SOURCE_ONLY],
      ...compiled.flatMap((s) => {
        const name = relative(LIB, s);
        const built = name.replace(/^src/, "build").replace(/\.ts$/, "");
        return [name, `${built}.js`, `${built}.d.ts`];
      }),
    ]);
    expect(packed.filter((f) => !expected.has(f))).toEqual([]);
    expect(report.size).toBeLessThan(400_000);
  });
});
