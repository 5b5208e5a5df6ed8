// The page runner's cell transform (scripts/book/client/runner/cells.ts), run in Node the way the
// worker runs it: each compiled cell is the body of an async function inside `with` one shared scope.
import { describe, expect, it } from "vitest";
import {
  CellError,
  LIBRARY,
  SCOPE,
  cellFunctionBody,
  compileCell,
  lowerExponentiation,
  missingName,
  missingNameMessage,
} from "../../scripts/book/client/runner/cells";

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (scope: object, library: object) => Promise<void>;

/** A tiny kernel: one scope, cells run in the order given, console.log collected. */
function kernel(library: object = {}) {
  const scope: Record<string, unknown> = {};
  const printed: string[] = [];
  scope.console = { log: (...args: unknown[]) => printed.push(args.join(" ")) };
  return {
    scope,
    printed,
    async run(source: string) {
      const cell = compileCell(source);
      for (const name of cell.declares) if (!(name in scope)) scope[name] = undefined;
      await new AsyncFunction(SCOPE, LIBRARY, cellFunctionBody(cell))(scope, library);
    },
  };
}

describe("compileCell", () => {
  it("a later cell sees an earlier one's declarations, and re-running `const x` works", async () => {
    const k = kernel();
    await k.run("const x: number = 1;\nlet y = x + 1;");
    await k.run("console.log(x, y);");
    await k.run("const x: number = 10;");
    await k.run("console.log(x, y);");
    expect(k.printed).toEqual(["1 2", "10 2"]);
  });

  it("runs top-level await, destructuring, hoisted functions, classes and enums", async () => {
    const k = kernel();
    await k.run(
      [
        "console.log(twice(2));",
        "function twice(n: number): number { return 2 * n; }",
        "const { a, b: [c, ...rest] = [] } = { a: 1, b: [2, 3, 4] };",
        "const v = await new Promise<number>((done) => setTimeout(() => done(7), 1));",
        "class Box<T> { constructor(public value: T) {} }",
        "enum Colour { Red, Green }",
        "console.log(a, c, rest.join('+'), v, new Box(5).value, Colour.Green)",
      ].join("\n"),
    );
    await k.run("console.log(new Box('x').value, twice(v))");
    expect(k.printed).toEqual(["4", "1 2 3+4 7 5 1", "x 14"]);
    expect(compileCell("let a; var b = 1, c;").declares).toEqual(["a", "b", "c"]);
  });

  it("a function sees the shared, live value of a name a later cell changes", async () => {
    const k = kernel();
    await k.run("let count = 0;\nfunction bump() { count++; }");
    await k.run("bump(); bump();\nconsole.log(count);");
    expect(k.printed).toEqual(["2"]);
  });

  it("a declaration after a line without a semicolon does not call that line's value", async () => {
    const k = kernel();
    await k.run("const f = () => 1\nconst g = 2\nconsole.log(f(), g)");
    expect(k.printed).toEqual(["1 2"]);
  });

  it("the library's import becomes assignments from the bundled library; types disappear", async () => {
    const library = { Matrix: class {}, relu: (x: number) => Math.max(0, x) };
    const k = kernel(library);
    await k.run(
      'import { relu as r, Matrix } from "gates-to-digits";\n' +
        'import type { Activation } from "gates-to-digits";\n' +
        "const m: Matrix = new Matrix();\nconsole.log(r(-2), r(3), m instanceof Matrix);",
    );
    await k.run('import * as gtd from "../lib";\nconsole.log(typeof gtd.relu);');
    expect(k.printed).toEqual(["0 3 true", "function"]);
    expect(compileCell('import type { X } from "fs";\nlet y: X;').declares).toEqual(["y"]);
    // A notebook's first cell imports what later cells use.
    expect(compileCell('import { show, relu } from "../lib";').declares).toEqual(["show", "relu"]);
  });

  it("keeps the cell's lines where they were", () => {
    const source =
      "const a = {\n  x: 1,\n};\nfunction f() {\n  return 1;\n}\nthrow new Error('line 7');";
    const { body } = compileCell(source);
    expect(body.split("\n").length).toBe(source.split("\n").length);
    expect(body.split("\n")[6]).toContain("line 7");
  });

  it("refuses another module's import and a syntax error with one line", () => {
    expect(() => compileCell('import { mkdirSync } from "fs";\nmkdirSync("x");')).toThrow(
      /^Cannot import "fs" in the page: .*runs only in Jupyter/,
    );
    expect(() => compileCell("const = 3;")).toThrow(CellError);
    expect(() => compileCell("const = 3;")).toThrow(/^SyntaxError: /);
  });
});

describe("the message for a name no cell run so far declared", () => {
  const cells = [
    { number: 1, heading: "Setup", declares: ["Matrix", "show"] },
    { number: 3, heading: "1. The perceptron", declares: ["p"] },
    { number: 5, heading: "2. Learning", declares: ["p", "learned"] },
  ];

  it("reads the missing name from Chromium's, Firefox's and Safari's words", () => {
    expect(missingName(new ReferenceError("learned is not defined"))).toBe("learned");
    expect(missingName(new ReferenceError("Can't find variable: learned"))).toBe("learned");
    expect(missingName(new TypeError("learned is not defined"))).toBeNull();
    expect(missingName(new ReferenceError("Cannot access 'x' before initialization"))).toBeNull();
  });

  it("names the latest earlier cell that declares it, with its heading", () => {
    expect(missingNameMessage("p", 7, cells)).toBe(
      "p is not defined yet: run cell 5 (under “2. Learning”) first, which declares it",
    );
    expect(missingNameMessage("learned", 2, cells)).toMatch(/run cell 5 .* first/);
    expect(missingNameMessage("nothing", 7, cells)).toBe("ReferenceError: nothing is not defined");
    expect(missingNameMessage("process", 7, cells)).toMatch(
      /^ReferenceError: process is not defined: it is Node's, .* runs only in Jupyter/,
    );
  });

  it("a compiled cell's ReferenceError carries the name", async () => {
    const k = kernel();
    const error = await k.run("console.log(learned)").catch((e: unknown) => e);
    expect(missingName(error)).toBe("learned");
  });
});

describe("lowerExponentiation", () => {
  it("writes ** as Math.pow (the worker's Math.pow is Node's), keeping lines and precedence", () => {
    expect(lowerExponentiation("const f = (w) => (w - 3) ** 2 + 1;")).toBe(
      "const f = (w) => Math.pow((w - 3) , 2) + 1;",
    );
    expect(lowerExponentiation("a ** b ** c")).toBe("Math.pow(a , Math.pow(b , c))");
    expect(lowerExponentiation("x **= 2 /* ** */\n+ y")).toBe("x = Math.pow(x, 2 /* ** */\n+ y)");
    expect(lowerExponentiation("`${2 ** -53}`")).toBe("`${Math.pow(2 , -53)}`");
    expect(lowerExponentiation('const s = "a ** b";')).toBe('const s = "a ** b";');
  });

  it("computes what ** computes, through whatever Math.pow is", async () => {
    const k = kernel();
    await k.run("const a = 3, b = 2, c = 2; console.log(a ** b ** c, (a ** b) ** c, -(2 ** 2))");
    expect(k.printed).toEqual(["81 81 -4"]);
    const calls: number[][] = [];
    const realPow = Math.pow;
    Math.pow = (x: number, y: number) => (calls.push([x, y]), realPow(x, y));
    try {
      await k.run("let v = 1.5; v **= 3; console.log(v)");
    } finally {
      Math.pow = realPow;
    }
    expect(k.printed[1]).toBe("3.375");
    expect(calls).toEqual([[1.5, 3]]);
  });
});
