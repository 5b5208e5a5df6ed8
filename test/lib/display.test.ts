import { afterEach, describe, expect, it } from "vitest";
import {
  displaySink,
  escapeHtml,
  newUpdatableSink,
  setDisplaySink,
  showTable,
  tableHtml,
} from "../../lib/src/notebook/display";

afterEach(() => setDisplaySink(null));

describe("tableHtml", () => {
  it("renders headers from the first row's keys and rounds non-integers", () => {
    const html = tableHtml([{ gate: "AND", epochs: 11, b: -0.33012 }], {
      digits: 2,
      caption: "Learned",
    });
    expect(html).toContain("<caption>Learned</caption>");
    expect(html).toContain("<th>gate</th><th>epochs</th><th>b</th>");
    expect(html).toContain(
      '<td>AND</td><td style="text-align:right">11</td><td style="text-align:right">-0.33</td>',
    );
  });

  it("takes columns and headers, and escapes text", () => {
    const html = tableHtml([{ a: "<b>", b: 1 }], { columns: ["b", "a"], headers: { a: "A & co" } });
    expect(html).toContain("<th>b</th><th>A &amp; co</th>");
    expect(html).toContain("<td>&lt;b&gt;</td>");
  });

  it("refuses a table with no columns", () => {
    expect(() => tableHtml([])).toThrow(/no columns/);
  });
});

describe("display sinks", () => {
  it("showTable writes to the installed sink", () => {
    const written: string[] = [];
    setDisplaySink({ html: (s) => written.push(s) });
    showTable([{ x: 1 }]);
    expect(written).toHaveLength(1);
    expect(written[0]).toContain('<td style="text-align:right">1</td>');
    expect(newUpdatableSink()).toBe(displaySink());
  });

  it("outside a tslab kernel, explains why output cannot be shown", () => {
    expect(() => showTable([{ x: 1 }])).toThrow(/not running inside a tslab notebook/);
  });

  it("escapeHtml escapes the five special characters", () => {
    expect(escapeHtml(`<a href="x">&'`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
  });
});
