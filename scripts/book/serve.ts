// `npm run book:serve`: serves site/ (or another folder) on http://127.0.0.1 for a preview.
//   tsx scripts/book/serve.ts [--port 8000] [--dir site] [--no-isolation]
// Static files only, from inside the folder; it listens on the loopback address and nowhere else.
// Every response isolates the page from other origins (COOP same-origin, COEP require-corp), which
// gives the chapter pages' runner shared memory: the WebAssembly kernels on a shared memory, and a
// Stop button that stops training between two steps instead of ending the worker. --no-isolation
// serves without those headers, as a plain static host would (to try the runner's other path).
import fs from "fs";
import http from "http";
import type { AddressInfo } from "net";
import path from "path";
import { ROOT } from "../jupyter-env";
import { isEntryPoint } from "../entry-point";
import { WORKER_CONTENT_SECURITY_POLICY } from "./layout";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".ipynb": "application/x-ipynb+json",
  ".zip": "application/zip",
  ".pdf": "application/pdf",
  ".wasm": "application/wasm",
  ".gz": "application/gzip",
};

/** Cross-origin isolation: the page may use SharedArrayBuffer (see the header of this file). */
export const ISOLATION_HEADERS = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

/** The runner's worker: its policy comes with its script (a page's <meta> policy does not reach it). */
const WORKER_SCRIPT = /(^|\/)assets\/runner-worker\.js$/;

/** The headers of a file's response besides its type and length. */
function headersFor(pathname: string, isolated: boolean): Record<string, string> {
  return {
    ...(isolated ? ISOLATION_HEADERS : {}),
    ...(WORKER_SCRIPT.test(pathname)
      ? { "Content-Security-Policy": WORKER_CONTENT_SECURITY_POLICY }
      : {}),
  };
}

/**
 * Starts a static server for `dir` on 127.0.0.1; resolves to `{ server, url }` once it listens.
 * `isolated` (default true) sends the cross-origin isolation headers with every response.
 */
export function serveFolder(
  dir: string,
  {
    port = 0,
    log = null,
    isolated = true,
  }: { port?: number; log?: ((line: string) => void) | null; isolated?: boolean } = {},
): Promise<{ server: http.Server; url: string }> {
  const rootDir = path.resolve(dir);
  const server = http.createServer((request, response) => {
    let pathname: string | null;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? "/", "http://127.0.0.1").pathname);
    } catch {
      pathname = null;
    }
    const file =
      pathname && path.join(rootDir, pathname.endsWith("/") ? `${pathname}index.html` : pathname);
    const inside = file && (file === rootDir || file.startsWith(rootDir + path.sep));
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { Allow: "GET, HEAD" }).end();
    } else if (!file || !inside || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      response.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("not found\n");
    } else {
      const type = TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
      response.writeHead(200, {
        "Content-Type": type,
        "Content-Length": fs.statSync(file).size,
        ...headersFor(pathname!, isolated),
      });
      if (request.method === "HEAD") response.end();
      else fs.createReadStream(file).pipe(response);
    }
    log?.(`${response.statusCode} ${request.method} ${request.url}`);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` });
    });
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let port = 8000;
  let dir = path.join(ROOT, "site");
  let isolated = true;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--port") port = Number(args[++i]);
    else if (args[i] === "--dir") dir = path.resolve(args[++i]);
    else if (args[i] === "--no-isolation") isolated = false;
    else
      throw new Error(
        `unknown argument ${args[i]} (usage: serve.ts [--port N] [--dir DIR] [--no-isolation])`,
      );
  }
  if (!fs.existsSync(path.join(dir, "index.html"))) {
    throw new Error(`${dir} has no index.html: build the book first with \`npm run book\``);
  }
  const { url } = await serveFolder(dir, { port, isolated });
  const how = isolated ? "cross-origin isolated" : "without cross-origin isolation";
  console.log(
    `Serving ${path.relative(process.cwd(), dir) || "."} at ${url}, ${how} (Ctrl-C stops it)`,
  );
}

if (isEntryPoint(__filename)) {
  main().catch((error) => {
    console.error(`npm run book:serve: ${error.message}`);
    process.exit(1);
  });
}
