/**
 * Shows the library's own code in a chapter: a chapter that explains a computation can display the
 * function that performs it, straight from lib/src, instead of writing a second copy of it.
 */
import { existsSync, readFileSync } from "fs";
import { join, resolve } from "path";
import { displaySink, escapeHtml } from "./display";

// Compiled to lib/build/source.js, run from there: the TypeScript sources sit beside it in lib/src.
const SOURCE_DIR = resolve(__dirname, "..", "src");

/**
 * The declaration of `symbol` in lib/src/`file` (a function, class, const, interface or class method),
 * with the doc comment above it, as written in the source.
 */
export function librarySource(file: string, symbol: string): string {
  const path = join(SOURCE_DIR, file);
  if (!existsSync(path)) throw new Error(`librarySource: no file lib/src/${file}`);
  const lines = readFileSync(path, "utf8").split("\n");
  const declaration = new RegExp(
    `^\\s*(export\\s+)?(async\\s+)?(function|class|const|interface|type)\\s+${symbol}\\b|^\\s+(async\\s+)?${symbol}\\s*\\(`,
  );
  const start = lines.findIndex((line) => declaration.test(line));
  if (start < 0) throw new Error(`librarySource: no declaration of "${symbol}" in lib/src/${file}`);
  // Include the doc comment right above it.
  let first = start;
  if (lines[first - 1]?.trim().endsWith("*/")) {
    while (first > 0 && !lines[first].trim().startsWith("/**")) first--;
  }
  // Up to the line where the braces opened by the declaration close again.
  let depth = 0;
  let opened = false;
  let last = start;
  for (; last < lines.length; last++) {
    for (const c of lines[last]) {
      if (c === "{") (depth++, (opened = true));
      else if (c === "}") depth--;
    }
    if (opened && depth === 0) break;
    if (!opened && lines[last].trim().endsWith(";")) break; // a declaration without a body
  }
  const chosen = lines.slice(first, last + 1);
  const indent = Math.min(
    ...chosen.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length),
  );
  return chosen.map((l) => l.slice(indent)).join("\n");
}

/** Displays the library's code for `symbol` from lib/src/`file`, headed by where it lives. */
export function showSource(file: string, symbol: string): void {
  const code = librarySource(file, symbol);
  displaySink().html(
    `<div class="gtd-source"><div style="font:12px monospace;color:#666">lib/src/${escapeHtml(file)} · ${escapeHtml(symbol)}</div>` +
      `<pre style="background:#f7f7f7;padding:8px;border-left:3px solid #0072B2;overflow-x:auto"><code class="language-typescript">${escapeHtml(code)}</code></pre></div>`,
  );
}
