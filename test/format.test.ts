// The code is formatted by Prettier (print width 100, .prettierrc.json): the chapters print the library with
// showSource, so its lines must fit a page. `npm run format` fixes what this test finds.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import * as prettier from "prettier";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./browser/render";

const FORMATTED = ["lib/src", "test", "scripts"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(name) ? [path] : [];
  });
}

describe("formatting", () => {
  it("every TypeScript and JavaScript file in lib/src, test and scripts is as Prettier writes it", async () => {
    const files = FORMATTED.flatMap((dir) => sourceFiles(join(REPO_ROOT, dir)));
    expect(files.length).toBeGreaterThan(40);
    const unformatted: string[] = [];
    for (const file of files) {
      const options = (await prettier.resolveConfig(file)) ?? {};
      if (!(await prettier.check(readFileSync(file, "utf8"), { ...options, filepath: file })))
        unformatted.push(relative(REPO_ROOT, file));
    }
    expect(unformatted, "run `npm run format`").toEqual([]);
  });
});
