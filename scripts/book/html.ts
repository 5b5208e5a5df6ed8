// HTML for the book's pages, escaped by default: the `html` template tag escapes every value it is given
// (text, numbers, the book's titles and summaries), except markup that is already HTML, which says so by
// being `Html` (another `html` template, or `raw(…)` around what markdown-it, KaTeX, highlight.js or an
// output rewrite produced). Arrays of either join without separators. Whether a value is text or markup is
// therefore its type, not the care taken at each interpolation.
import { escapeHtml as escapeText } from "../../lib/src/notebook/display";

/** Markup that is HTML already: interpolated as it is. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What an `html` template accepts: text and numbers are escaped, `Html` is kept, lists are joined. */
export type HtmlValue = Html | string | number | null | undefined | false | readonly HtmlValue[];

/** Escapes text for HTML: the library's own escapeHtml (the five special characters). */
export function escapeHtml(value: string | number): string {
  return escapeText(String(value));
}

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === null || value === undefined || value === false) return "";
  return escapeHtml(value as string | number);
}

/** A template of HTML whose values are escaped unless they are `Html`. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0];
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1];
  });
  return new Html(out);
}

/** Markup made elsewhere (markdown-it, KaTeX, highlight.js, a rewritten output): trusted as HTML. */
export function raw(markup: string): Html {
  return new Html(markup);
}

/** HTML items joined with a separator (a newline by default). */
export function joinHtml(items: readonly HtmlValue[], separator = "\n"): Html {
  return new Html(items.map(render).join(separator));
}
