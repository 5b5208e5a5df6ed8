/**
 * Shows the library's own code in a chapter: a chapter that explains a computation can display the
 * function that performs it, straight from lib/src, instead of writing a second copy of it.
 */
import { checkString } from "../core/checks";
import { librarySourceFiles, librarySourceText } from "../platform";
import { displaySink, escapeHtml } from "./display";

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * The declaration of `symbol` in lib/src/`file`, with the doc comment above it, as written in the source:
 * a function, class, const, interface or type by its name (`"fit"`), or a class's method or getter by
 * `"Class.method"` (`"Network.forward"`, `"Adam.step"`).
 */
export function librarySource(file: string, symbol: string): string {
  checkString("librarySource", "symbol", symbol);
  file = libraryFile(file);
  const names = symbol.split(".");
  if (names.length > 2 || !names.every((name) => IDENTIFIER.test(name)))
    throw new Error(
      `librarySource: "${symbol}" is not a name or Class.method (e.g. "fit", "Network.forward")`,
    );
  const lines = librarySourceText(file)!.split("\n"); // (libraryFile has checked that it exists)
  let from = 0;
  let to = lines.length;
  if (names.length === 2) {
    // Look for the method only between the class's opening line and its closing brace.
    const classStart = findDeclaration(lines, 0, lines.length, topLevel(names[0]));
    if (classStart < 0) throw new Error(`librarySource: no class "${names[0]}" in lib/src/${file}`);
    from = classStart + 1;
    to = blockEnd(lines, classStart);
  }
  const name = names[names.length - 1];
  const start = findDeclaration(
    lines,
    from,
    to,
    names.length === 2 ? member(name) : topLevel(name),
  );
  if (start < 0) {
    const hint =
      names.length === 1 && findDeclaration(lines, 0, lines.length, member(name)) >= 0
        ? ` (for a class's method, write "Class.${name}")`
        : "";
    throw new Error(`librarySource: no declaration of "${symbol}" in lib/src/${file}${hint}`);
  }
  const chosen = lines.slice(docCommentStart(lines, start), blockEnd(lines, start) + 1);
  const indent = Math.min(
    ...chosen.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length),
  );
  return chosen.map((l) => l.slice(indent)).join("\n");
}

/** A top-level declaration of `name`. */
function topLevel(name: string): RegExp {
  return new RegExp(
    `^(export\\s+)?(async\\s+)?(function|class|const|interface|type)\\s+${name}\\b`,
  );
}

/** A method, getter or property of a class, by `name`, on an indented line. */
function member(name: string): RegExp {
  return new RegExp(`^\\s+((public|private|static|readonly|async|get|set)\\s+)*${name}\\s*[(<:=]`);
}

function findDeclaration(lines: string[], from: number, to: number, pattern: RegExp): number {
  for (let i = from; i < to; i++) if (pattern.test(lines[i])) return i;
  return -1;
}

/** Where the doc comment right above line `start` begins (or `start` when there is none). */
function docCommentStart(lines: string[], start: number): number {
  if (!lines[start - 1]?.trim().endsWith("*/")) return start;
  let first = start - 1;
  while (first > 0 && !lines[first].trim().startsWith("/**")) first--;
  return first;
}

/**
 * The line where the body that starts at line `start` ends: where the braces left open at the end of a
 * line close again (braces opened and closed on one line, as in a default `= {}`, do not count), or the
 * line itself when it ends in `;` or `}` with nothing left open.
 */
function blockEnd(lines: string[], start: number): number {
  let depth = 0;
  let opened = false;
  for (let last = start; last < lines.length; last++) {
    for (const c of lines[last]) {
      if (c === "{") depth++;
      else if (c === "}") depth--;
    }
    if (depth > 0) opened = true;
    else if (opened || /[;}]$/.test(lines[last].trim())) return last;
  }
  return lines.length - 1;
}

/**
 * The path within lib/src of `file`: either that path itself ("networks/fit.ts") or, as chapters write it,
 * a file name that only one folder of lib/src holds ("fit.ts"). Nothing outside lib/src (no "..", no
 * absolute path).
 */
export function libraryFile(file: string): string {
  checkString("librarySource", "file", file);
  if (!/^[\w-]+(\/[\w-]+)*\.ts$/.test(file))
    throw new Error(
      `librarySource: file must name a file of lib/src such as "network.ts" or "networks/network.ts", got ${JSON.stringify(file)}`,
    );
  if (librarySourceText(file) !== null) return file;
  const found = librarySourceFiles().filter((f) => f === file || f.endsWith(`/${file}`));
  if (found.length === 1) return found[0];
  if (found.length > 1)
    throw new Error(
      `librarySource: "${file}" is in ${found.length} folders (${found.join(", ")}); name one`,
    );
  throw new Error(`librarySource: no file lib/src/${file}`);
}

/** Displays the library's code for `symbol` from lib/src/`file`, headed by where it lives. */
export function showSource(file: string, symbol: string): void {
  const code = librarySource(file, symbol);
  file = libraryFile(file);
  displaySink().html(
    `<div class="gtd-source"><div style="font:12px monospace;color:#666">lib/src/${escapeHtml(file)} · ${escapeHtml(symbol)}</div>` +
      `<pre style="background:#f7f7f7;padding:8px;border-left:3px solid #0072B2;overflow-x:auto"><code class="language-typescript">${escapeHtml(code)}</code></pre></div>`,
  );
}
