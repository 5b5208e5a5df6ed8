import { afterEach, describe, expect, it } from "vitest";
import { setDisplaySink } from "../../lib/src/notebook/display";
import { librarySource, showSource } from "../../lib/src/notebook/source";

afterEach(() => setDisplaySink(null));

describe("librarySource", () => {
  it("returns a function with its doc comment, up to its closing brace", () => {
    const code = librarySource("activations.ts", "sigmoid");
    expect(code.startsWith("/**\n * The logistic sigmoid")).toBe(true);
    expect(code).toContain("export function sigmoid(z: number): number {");
    expect(code.trimEnd().endsWith("}")).toBe(true);
    expect(code).not.toContain("export function relu");
  });

  it("finds a class's method by Class.method, and removes its indentation", () => {
    const code = librarySource("tiny-network.ts", "TinyNetwork.gradients");
    expect(code.split("\n")[0]).toBe("/**");
    expect(code).toContain("gradients(x1: number, x2: number, y: number): TinyParameters {");
    expect(code).toContain("const dL_do = -2 * (y - o);");
    expect(code).not.toContain("train(people");
  });

  it("tells apart methods of the same name in different classes", () => {
    expect(librarySource("network.ts", "Network.forward")).toContain("this.propagate(X, training)");
    expect(librarySource("network.ts", "Dense.forward")).toContain("this.g.forward(Z, s?.A)");
    expect(librarySource("optimizers.ts", "Adam.step")).toContain("this.t++");
    expect(librarySource("optimizers.ts", "SGD.step")).not.toContain("this.t++");
  });

  it("reads a method whose parameters span several lines up to its closing brace", () => {
    const code = librarySource("network.ts", "Network.computeGradients");
    expect(code).toContain("options: { training?: boolean; trainingSize?: number } = {},");
    expect(
      code.trimEnd().endsWith("return this.backpropagate(X, Y, training, trainingSize);\n}"),
    ).toBe(true);
    expect(code).not.toContain("parameters(): Parameter[]");
  });

  it("names what it could not find", () => {
    expect(() => librarySource("nope.ts", "x")).toThrow(/no file lib\/src\/nope.ts/);
    // a file by its name alone, or by its path within lib/src
    expect(librarySource("networks/fit.ts", "fit")).toBe(librarySource("fit.ts", "fit"));
    expect(() => librarySource("../fit.ts", "fit")).toThrow(/must name a file of lib\/src/);
    expect(() => librarySource("activations.ts", "softplus")).toThrow(
      /no declaration of "softplus" in lib\/src\/networks\/activations.ts/,
    );
    expect(() => librarySource("network.ts", "backward")).toThrow(
      '(for a class\'s method, write "Class.backward")',
    );
    expect(() => librarySource("network.ts", "Nope.forward")).toThrow(
      'no class "Nope" in lib/src/networks/network.ts',
    );
    // A name is a name, not a pattern.
    expect(() => librarySource("matrix.ts", "gemm(")).toThrow(
      '"gemm(" is not a name or Class.method',
    );
  });

  it("showSource displays the code escaped, headed by its location", () => {
    const written: string[] = [];
    setDisplaySink({ html: (s) => written.push(s) });
    showSource("activations.ts", "relu");
    expect(written[0]).toContain("lib/src/networks/activations.ts · relu");
    expect(written[0]).toContain("return Math.max(z, 0);");
  });
});
