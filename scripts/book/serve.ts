// `npm run book:serve`: serves site/ (or another folder) on http://127.0.0.1 for a preview.
//   tsx scripts/book/serve.ts [--port 8000] [--dir site]
// Static files only, from inside the folder; it listens on the loopback address and nowhere else.
import fs from "fs";
import http from "http";
import type { AddressInfo } from "net";
import path from "path";
import { ROOT } from "../jupyter-env";
import { isEntryPoint } from "../entry-point";

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
};

/** Starts a static server for `dir` on 127.0.0.1; resolves to `{ server, url }` once it listens. */
export function serveFolder(
  dir: string,
  { port = 0, log = null }: { port?: number; log?: ((line: string) => void) | null } = {},
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
      response.writeHead(200, { "Content-Type": type, "Content-Length": fs.statSync(file).size });
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
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--port") port = Number(args[++i]);
    else if (args[i] === "--dir") dir = path.resolve(args[++i]);
    else throw new Error(`unknown argument ${args[i]} (usage: serve.ts [--port N] [--dir DIR])`);
  }
  if (!fs.existsSync(path.join(dir, "index.html"))) {
    throw new Error(`${dir} has no index.html: build the book first with \`npm run book\``);
  }
  const { url } = await serveFolder(dir, { port });
  console.log(`Serving ${path.relative(process.cwd(), dir) || "."} at ${url} (Ctrl-C stops it)`);
}

if (isEntryPoint(__filename)) {
  main().catch((error) => {
    console.error(`npm run book:serve: ${error.message}`);
    process.exit(1);
  });
}
