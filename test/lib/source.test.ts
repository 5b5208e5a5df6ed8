import { afterEach, describe, expect, it } from "vitest";
import { setDisplaySink } from "../../lib/src/display";
import { librarySource, showSource } from "../../lib/src/source";

afterEach(() => setDisplaySink(null));

describe("librarySource", () => {
  it("returns a function with its doc comment, up to its closing brace", () => {
    const code = librarySource("activations.ts", "sigmoid");
    expect(code.startsWith("/**\n * The logistic sigmoid")).toBe(true);
    expect(code).toContain("export function sigmoid(z: number): number {");
    expect(code.trimEnd().endsWith("}")).toBe(true);
    expect(code).not.toContain("export function relu");
  });

  it("finds class methods and removes their indentation", () => {
    const code = librarySource("tiny-network.ts", "gradients");
    expect(code.split("\n")[0]).toBe("/**");
    expect(code).toContain("gradients(x1: number, x2: number, y: number): TinyParameters {");
    expect(code).toContain("const dL_do = -2 * (y - o);");
    expect(code).not.toContain("train(people");
  });

  it("names what it could not find", () => {
    expect(() => librarySource("nope.ts", "x")).toThrow(/no file lib\/src\/nope.ts/);
    expect(() => librarySource("activations.ts", "softplus")).toThrow(/no declaration of "softplus" in lib\/src\/activations.ts/);
  });

  it("showSource displays the code escaped, headed by its location", () => {
    const written: string[] = [];
    setDisplaySink({ html: (s) => written.push(s) });
    showSource("activations.ts", "relu");
    expect(written[0]).toContain("lib/src/activations.ts · relu");
    expect(written[0]).toContain("return z &gt; 0 ? z : 0;");
  });
});
