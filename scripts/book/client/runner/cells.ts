// A chapter's code cell turned into JavaScript that runs in the page's worker with the semantics of
// the tslab kernel: the cells of a page share one scope, in the order they run. TypeScript becomes
// JavaScript with sucrase (types and `import type` disappear); then every
// top-level declaration of the cell becomes an assignment to the shared scope, so that later cells
// see it and running the cell again (`const x = …` twice) is no error, and the library's import
// becomes assignments from the bundled library. The code the reader reads is the code that runs:
// only the statements' keywords change, and the lines stay where they were.
// Pure (no DOM, no worker): the tests run it in Node.
import { parse, type Node, type Pattern, type Program } from "acorn";
import { transform } from "sucrase";

/** The names a chapter imports the library by: the package's, and the path today's notebooks use. */
export const LIBRARY_MODULES = ["gates-to-digits", "../lib"];

/** The names the generated code itself uses, inside the `with` of the shared scope. */
export const SCOPE = "__gtdScope";
export const LIBRARY = "__gtdLibrary";

/** A cell's code the browser cannot run as written: its message is the one line the reader sees. */
export class CellError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CellError";
  }
}

export interface CompiledCell {
  /** The body of an async function of (SCOPE, LIBRARY); see `cellFunctionBody`. */
  body: string;
  /** The top-level names the cell declares (imports, variables, functions, classes). */
  declares: string[];
}

type AnyNode = Node & Record<string, unknown>;

/** The identifiers a declaration's pattern binds: `{ a, b: [c, ...d] = e }` binds a, c and d. */
export function patternNames(pattern: Pattern | AnyNode): string[] {
  const node = pattern as AnyNode;
  switch (node.type) {
    case "Identifier":
      return [node.name as string];
    case "ObjectPattern":
      return (node.properties as AnyNode[]).flatMap((p) =>
        patternNames((p.type === "RestElement" ? p.argument : p.value) as AnyNode),
      );
    case "ArrayPattern":
      return (node.elements as (AnyNode | null)[]).flatMap((e) => (e ? patternNames(e) : []));
    case "RestElement":
      return patternNames(node.argument as AnyNode);
    case "AssignmentPattern":
      return patternNames(node.left as AnyNode);
    default:
      return [];
  }
}

/** TypeScript to JavaScript, lines kept; a syntax error as one line with its place in the cell. */
export function toJavaScript(source: string): string {
  try {
    // Unused imports stay: a notebook imports in its first cell what later cells use. A name used
    // only as a type then reads as undefined from the library, which is harmless.
    return transform(source, {
      transforms: ["typescript"],
      disableESTransforms: true,
      keepUnusedImports: true,
    }).code;
  } catch (error) {
    throw new CellError(`SyntaxError: ${(error as Error).message}`);
  }
}

function parseModule(code: string): Program {
  try {
    return parse(code, {
      ecmaVersion: "latest",
      sourceType: "module",
      allowAwaitOutsideFunction: true,
    });
  } catch (error) {
    throw new CellError(`SyntaxError: ${(error as Error).message}`);
  }
}

/**
 * `a ** b` as `Math.pow(a, b)` and `x **= b` as `x = Math.pow(x, b)` (x a name), lines kept. Why: the
 * page's worker replaces Math.pow by Node 20's (lib/src/platform/v8-math.ts), so that a page prints
 * the digits Jupyter printed, but Chromium's `**` operator does not call Math.pow (the library's
 * bundle is compiled with `**` lowered the same way, by esbuild).
 */
export function lowerExponentiation(js: string): string {
  if (!js.includes("**")) return js;
  let program: AnyNode;
  try {
    program = parse(js, {
      ecmaVersion: "latest",
      sourceType: "module",
      allowAwaitOutsideFunction: true,
      preserveParens: true, // `(a - 1) ** 2`: the left operand's range holds its parentheses
    }) as unknown as AnyNode;
  } catch {
    return js; // compileCell reports the syntax error
  }
  const edits: Edit[] = [];
  const visit = (node: AnyNode): void => {
    if (node.type === "BinaryExpression" && node.operator === "**") {
      const left = node.left as AnyNode;
      const right = node.right as AnyNode;
      const operator = operatorAt(js, left.end, right.start);
      edits.push({ start: left.start, end: left.start, text: "Math.pow(" });
      edits.push({ start: operator, end: operator + 2, text: "," });
      edits.push({ start: right.end, end: right.end, text: ")" });
    } else if (node.type === "AssignmentExpression" && node.operator === "**=") {
      const target = node.left as AnyNode;
      const value = node.right as AnyNode;
      if (target.type === "Identifier") {
        const operator = operatorAt(js, target.end, value.start);
        const name = target.name as string;
        edits.push({ start: operator, end: operator + 3, text: `= Math.pow(${name},` });
        edits.push({ start: value.end, end: value.end, text: ")" });
      }
    }
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) visit(item);
      } else if (isNode(value)) visit(value);
    }
  };
  visit(program);
  // From the end, so that earlier positions stay valid; edits never overlap.
  edits.sort((a, b) => b.start - a.start);
  let out = js;
  for (const edit of edits) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

function isNode(value: unknown): value is AnyNode {
  return typeof value === "object" && value !== null && typeof (value as AnyNode).type === "string";
}

/** Where the operator starting with `**` is between two operands: comments skipped. */
function operatorAt(js: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    if (js.startsWith("/*", i)) i = js.indexOf("*/", i + 2) + 1;
    else if (js.startsWith("//", i)) i = js.indexOf("\n", i) < 0 ? to : js.indexOf("\n", i);
    else if (js.startsWith("**", i)) return i;
  }
  throw new Error(`lowerExponentiation: no ** between ${from} and ${to}`);
}

/** The message of an import the page cannot give: what it is, and where the cell does run. */
export function unavailableModuleMessage(module: string): string {
  return (
    `Cannot import "${module}" in the page: the browser has no such module, so this cell ` +
    `runs only in Jupyter (see "Run it yourself")`
  );
}

/** `import { a, b as c } from "gates-to-digits"` as assignments: a = library.a, c = library.b. */
function importAssignments(node: AnyNode): { code: string; names: string[] } {
  const module = (node.source as AnyNode).value as string;
  if (!LIBRARY_MODULES.includes(module)) throw new CellError(unavailableModuleMessage(module));
  const parts: string[] = [];
  const names: string[] = [];
  for (const specifier of node.specifiers as AnyNode[]) {
    const local = (specifier.local as AnyNode).name as string;
    names.push(local);
    if (specifier.type === "ImportNamespaceSpecifier") parts.push(`${local} = ${LIBRARY}`);
    else if (specifier.type === "ImportDefaultSpecifier")
      throw new CellError(
        `SyntaxError: the library has no default export; import its names: import { … } from "${module}"`,
      );
    else {
      const imported = specifier.imported as AnyNode;
      const name = (imported.type === "Identifier" ? imported.name : imported.value) as string;
      parts.push(`${local} = ${LIBRARY}[${JSON.stringify(name)}]`);
    }
  }
  return { code: parts.length ? `${parts.join("; ")};` : "", names };
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * Compiles one cell. Throws a CellError (one line) on a syntax error and on an import the page
 * cannot give. Top-level declarations become assignments (`const {a, b} = o` → `({a, b} = o);`,
 * `class C {}` → `C = class C {};`); a function declaration stays, hoisted in the cell, and is
 * copied to the scope first.
 */
export function compileCell(source: string): CompiledCell {
  const js = lowerExponentiation(toJavaScript(source));
  const program = parseModule(js);
  const edits: Edit[] = [];
  const hoisted: string[] = [];
  const declares: string[] = [];
  const slice = (n: AnyNode) => js.slice(n.start, n.end);
  const declaration = (node: AnyNode): string | null => {
    if (node.type === "VariableDeclaration") {
      const parts = (node.declarations as AnyNode[]).map((d) => {
        declares.push(...patternNames(d.id as AnyNode));
        return `${slice(d.id as AnyNode)} = ${d.init ? slice(d.init as AnyNode) : "undefined"}`;
      });
      return `(${parts.join(", ")});`;
    }
    if (node.type === "FunctionDeclaration") {
      // Stays where it is: inside the cell's block it is hoisted, so the whole cell can call it;
      // the scope gets it before the cell's first statement.
      const name = (node.id as AnyNode).name as string;
      declares.push(name);
      hoisted.push(`${SCOPE}.${name} = ${name};`);
      return null;
    }
    if (node.type === "ClassDeclaration") {
      const name = (node.id as AnyNode).name as string;
      declares.push(name);
      return `${name} = ${slice(node)};`;
    }
    return null;
  };
  for (const statement of program.body as AnyNode[]) {
    let text: string | null = null;
    if (statement.type === "ImportDeclaration") {
      const { code, names } = importAssignments(statement);
      declares.push(...names);
      text = code;
    } else if (statement.type === "ExportNamedDeclaration" && statement.declaration) {
      text = declaration(statement.declaration as AnyNode);
    } else if (statement.type.startsWith("Export")) {
      throw new CellError("SyntaxError: a notebook cell exports nothing; drop `export`");
    } else {
      text = declaration(statement);
    }
    // A leading `;`: the line before may end without one (`f()` then `(a = 1)` would call f's result).
    if (text !== null)
      edits.push({ start: statement.start, end: statement.end, text: text && `;${text}` });
  }
  let body = js;
  for (const edit of edits.reverse()) {
    // Keep the statement's line breaks, so that the lines of the cell stay where they were.
    const lines = (text: string) => (text.match(/\n/g) ?? []).length;
    const breaks = "\n".repeat(
      Math.max(0, lines(body.slice(edit.start, edit.end)) - lines(edit.text)),
    );
    body = body.slice(0, edit.start) + edit.text + breaks + body.slice(edit.end);
  }
  return { body: hoisted.join(" ") + body, declares: [...new Set(declares)] };
}

/**
 * The body of the async function that runs a compiled cell: the cell's code inside `with` the shared
 * scope, so that a name resolves to the scope's property first (a later cell sees an earlier one's
 * declarations) and then to the worker's globals (`console`, `Math`). `with` needs sloppy mode,
 * which an async function made by the Function constructor has.
 */
export function cellFunctionBody(cell: CompiledCell): string {
  return `with (${SCOPE}) {\n${cell.body}\n}`;
}

/**
 * The name a ReferenceError says is missing, in the words of Chromium and Firefox ("x is not
 * defined") and of Safari ("Can't find variable: x"), or null for another error.
 */
export function missingName(error: unknown): string | null {
  if (!(error instanceof Error) || error.name !== "ReferenceError") return null;
  const match =
    /^([\p{L}\p{Nl}$_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}$]*) is not defined$/u.exec(
      error.message,
    ) ?? /^Can't find variable: (\S+)$/.exec(error.message);
  return match ? match[1] : null;
}

/** Node's globals, which a page does not have (a chapter reads process.env, for one). */
const NODE_GLOBALS = ["process", "require", "Buffer", "__dirname", "__filename", "module"];

/** A cell of the page as the messages name it: its number and the heading it stands under. */
export interface CellLabel {
  number: number;
  heading: string;
}

/**
 * The message for a name no cell run so far declared: which cell of the page declares it (the
 * latest one before `current`, else any), to run first; `declarers` are the page's cells with the
 * names each declares.
 */
export function missingNameMessage(
  name: string,
  current: number,
  declarers: (CellLabel & { declares: readonly string[] })[],
): string {
  const candidates = declarers.filter((c) => c.declares.includes(name));
  const before = candidates.filter((c) => c.number < current);
  const cell = before.at(-1) ?? candidates[0];
  if (!cell && NODE_GLOBALS.includes(name))
    return (
      `ReferenceError: ${name} is not defined: it is Node's, and a page has none, so this line ` +
      `runs only in Jupyter (see "Run it yourself")`
    );
  if (!cell) return `ReferenceError: ${name} is not defined`;
  const where = cell.heading ? ` (under “${cell.heading}”)` : "";
  return `${name} is not defined yet: run cell ${cell.number}${where} first, which declares it`;
}
