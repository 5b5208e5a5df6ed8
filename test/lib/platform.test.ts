// The platform seam (lib/src/platform): the browser side gives every function the Node side gives, with
// the same types (checked by the typecheck, below), and adds only the page's hooks. The browser bundle
// itself is tested in test/browser/library-bundle.test.ts.
import { describe, expect, it } from "vitest";
import * as browserSide from "../../lib/src/platform/browser";
import * as nodeSide from "../../lib/src/platform/node";

/** The hooks a page's worker calls, which Node has no use for. */
const PAGE_HOOKS = [
  "DOWNLOAD_MIME",
  "addFile",
  "setEnvironment",
  "setInterruptFlag",
  "setOutputHandler",
  "setSiteRoot",
];

// A compile-time check: the browser module can stand wherever the Node module is used.
const sameShape: Omit<typeof nodeSide, never> = browserSide;

describe("platform", () => {
  it("the browser side exports the Node side's names, and besides them only the page's hooks", () => {
    expect(sameShape).toBe(browserSide);
    const node = Object.keys(nodeSide).sort();
    const browser = Object.keys(browserSide).sort();
    expect(browser.filter((name) => !node.includes(name))).toEqual(PAGE_HOOKS);
    expect(node.filter((name) => !browser.includes(name))).toEqual([]);
    for (const name of node)
      expect(typeof (browserSide as Record<string, unknown>)[name], name).toBe(
        typeof (nodeSide as Record<string, unknown>)[name],
      );
  });

  it("base64 and the display's messages agree with Node's", () => {
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 256);
    expect(browserSide.toBase64(bytes)).toBe(nodeSide.toBase64(bytes));
    expect(browserSide.fromBase64(nodeSide.toBase64(bytes))).toEqual(bytes);
    const messages: browserSide.OutputMessage[] = [];
    browserSide.setOutputHandler((message) => messages.push(message));
    try {
      const live = browserSide.notebookDisplay().newDisplay();
      live.html("<b>1</b>");
      live.html("<b>2</b>");
      browserSide.notebookDisplay().display.html("<i>once</i>");
    } finally {
      browserSide.setOutputHandler(null);
    }
    expect(messages.map((m) => m.type)).toEqual([
      "display_data",
      "update_display_data",
      "display_data",
    ]);
    expect(messages[0].transient?.display_id).toBe(messages[1].transient?.display_id);
    expect(messages[2].transient).toBeUndefined();
    expect(messages[1].data).toEqual({ "text/html": "<b>2</b>" });
  });

  it("the interrupt flag is read once, and is a no-op in Node", () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    browserSide.setInterruptFlag(flag);
    try {
      expect(browserSide.interruptRequested()).toBe(false);
      Atomics.store(flag, 0, 1);
      expect(browserSide.interruptRequested()).toBe(true);
      expect(browserSide.interruptRequested()).toBe(false);
    } finally {
      browserSide.setInterruptFlag(null);
    }
    expect(nodeSide.interruptRequested()).toBe(false);
  });

  it("the environment comes from the page, and a page cannot run programs (one line saying so)", () => {
    browserSide.setEnvironment({ GTD_LIVE_DEMO: "1" });
    expect(browserSide.env("GTD_LIVE_DEMO")).toBe("1");
    expect(browserSide.env("PATH")).toBeUndefined();
    browserSide.setEnvironment({});
    expect(() => browserSide.setEnvironment({ X: 1 } as never)).toThrow(/X must be a string/);
    const run = browserSide.runProgram("/usr/bin/python3", [], {});
    expect(run.error?.message).toMatch(/^a page cannot start programs/);
    expect(run.error?.message).not.toContain("\n");
  });
});
