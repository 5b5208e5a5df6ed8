// Renders one executed chapter (.ipynb) to the body of a book page: markdown with KaTeX math
// typeset at build time, code cells highlighted, outputs rewritten for the site (figures.js). Also
// returns what the rest of the book needs from the chapter: title, sections (for the table of
// contents and the search index), learning goals, figure count and reading time.
import MarkdownIt, { type Token } from "markdown-it";
import type { MarkdownIt as MarkdownItInstance } from "markdown-it";
import markdownItKatex from "@vscode/markdown-it-katex";
import katex from "katex";

type KatexOptions = Parameters<typeof katex.renderToString>[1];
import hljs from "highlight.js/lib/common";
import { cellText as join, type Notebook, type Output } from "../notebook-format";
import { rewriteHtmlOutput } from "./figures";
import { escapeHtml } from "./html";

/** Terminal colour codes in tracebacks and stderr. */
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

export function highlight(code: string, language?: string): string {
  const lang = language === "ts" || !language ? "typescript" : language;
  if (!hljs.getLanguage(lang)) return escapeHtml(code);
  return hljs.highlight(code, { language: lang, ignoreIllegals: true }).value;
}

/** `## 2. The four equations` -> `the-four-equations` (section numbers are left out of anchors). */
export function slugify(text: string): string {
  const slug = text
    .normalize("NFKD")
    .toLowerCase()
    .replace(/^\s*\d+(\.\d+)*\.?\s+/, "")
    .replace(/[^\p{Letter}\p{Number}\s-]/gu, "")
    .trim()
    .replace(/\s+/g, "-");
  return slug || "section";
}

/** TeX commands as the characters they typeset (binary operators with spaces around them). */
const TEX_SYMBOLS: Record<string, string> = {
  alpha: "α",
  beta: "β",
  gamma: "γ",
  delta: "δ",
  Delta: "Δ",
  epsilon: "ε",
  varepsilon: "ε",
  eta: "η",
  theta: "θ",
  lambda: "λ",
  mu: "μ",
  pi: "π",
  rho: "ρ",
  sigma: "σ",
  Sigma: "Σ",
  tau: "τ",
  phi: "φ",
  psi: "ψ",
  omega: "ω",
  nabla: "∇",
  partial: "∂",
  sum: "Σ",
  prod: "Π",
  infty: "∞",
  ldots: "…",
  cdots: "⋯",
  dots: "…",
  top: "ᵀ",
  sqrt: "√",
  log: "log ",
  exp: "exp ",
  max: "max ",
  min: "min ",
  ln: "ln ",
  tanh: "tanh ",
  cdot: " · ",
  times: " × ",
  odot: " ⊙ ",
  circ: " ∘ ",
  le: " ≤ ",
  leq: " ≤ ",
  ge: " ≥ ",
  geq: " ≥ ",
  ne: " ≠ ",
  neq: " ≠ ",
  approx: " ≈ ",
  to: " → ",
  rightarrow: " → ",
  leftarrow: " ← ",
  in: " ∈ ",
  quad: " ",
  qquad: " ",
};

/**
 * A formula as a reader can read it in plain text (search excerpts): Greek letters and operators
 * as their characters, `\frac{a}{b}` as a/b, typesetting commands dropped. `\frac{\partial
 * C}{\partial w}` reads `∂C/∂w`, `W^{\top}` reads `Wᵀ`.
 */
export function formulaText(tex: string): string {
  let text = tex
    .replace(
      /\\(text|mathrm|mathbf|mathit|operatorname|boldsymbol|mathcal|hat|bar|tilde)\s*\{([^{}]*)\}/g,
      "$2",
    )
    .replace(/\\(left|right|big|Big|bigg|Bigg)\b/g, "")
    .replace(/\\[,;:! ]/g, " ")
    .replace(/\\([A-Za-z]+)/g, (_, name: string) =>
      /^[dt]?frac$/.test(name) ? "\\frac" : (TEX_SYMBOLS[name] ?? ""),
    )
    .replace(/([∂∇]) (?=\S)/g, "$1");
  // A part with spaces or signs in it gets parentheses: e^{-z} reads e^(-z), 1/(1 + e^(-z)).
  const part = (x: string) => (/[\s+\-−=]/.test(x.trim()) ? `(${x.trim()})` : x.trim());
  for (let i = 0; i < 8 && /[{}]/.test(text); i++) {
    const before = text;
    text = text
      .replace(/\^\s*\{\s*ᵀ\s*\}/g, "ᵀ")
      .replace(/([\^_])\s*\{([^{}]*)\}/g, (_, mark, x) => `${mark}${part(x)}`)
      .replace(/\\frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, (_, a, b) => `${part(a)}/${part(b)}`);
    if (text === before) break;
  }
  return text
    .replace(/\^ᵀ/g, "ᵀ")
    .replace(/[{}\\]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * The bold phrases of a paragraph: where the book introduces a term ("The **learning rate** η sets
 * how far we step"), so that searching for the term finds the place that defines it.
 */
function boldTerms(token: Token): string[] {
  const terms: string[] = [];
  let current: string[] | null = null;
  for (const child of token.children ?? []) {
    if (child.type === "strong_open") current = [];
    else if (child.type === "strong_close" && current) {
      const term = current.join("").trim();
      // Not a number (results are bold too) and not a whole sentence.
      if (/\p{Letter}/u.test(term) && term.split(/\s+/).length <= 5) terms.push(term);
      current = null;
    } else if (current && (child.type === "text" || child.type === "code_inline"))
      current.push(child.content);
  }
  return terms;
}

/**
 * Plain text of an inline token: words and code, no markup; a formula as `formulaText` reads it, or
 * as "…" for a heading's anchor (anchors stay what they were before formulas were read).
 */
function inlineText(token: Token, { formulas = true }: { formulas?: boolean } = {}): string {
  return (token.children ?? [])
    .map((child) => {
      if (child.type === "text" || child.type === "code_inline") return child.content;
      if (child.type === "math_inline" || child.type === "math_inline_block")
        return formulas ? formulaText(child.content) : "…";
      if (child.type === "softbreak" || child.type === "hardbreak") return " ";
      return "";
    })
    .join("");
}

/**
 * A markdown-it that renders like Jupyter's markdown cells (raw HTML allowed, so the exercises'
 * `<details>` solutions work) with KaTeX for `$…$` and `$$…$$`. A formula KaTeX cannot typeset is
 * collected in `env.mathErrors`, so that the build fails on it instead of showing raw TeX.
 * Headings get anchors, and the page's sections and their text are collected in `env.sections`.
 */
export function createMarkdown({ permalinks = false }: { permalinks?: boolean } = {}): Markdown {
  const md = new MarkdownIt({ html: true, linkify: false, typographer: false, highlight });
  let currentEnv: ChapterEnv | null = null;
  const recordingKatex = {
    renderToString(tex: string, options: KatexOptions & { katex?: unknown }) {
      try {
        return katex.renderToString(tex, {
          ...options,
          katex: undefined,
          throwOnError: true,
        } as KatexOptions);
      } catch (error) {
        currentEnv?.mathErrors.push(`${tex}: ${(error as Error).message}`);
        throw error;
      }
    },
  };
  // The plugin itself is not told to throw: it would only log; the recording wrapper fails the
  // build.
  // The plugin calls only renderToString (its types want the whole of its own copy of KaTeX).
  md.use(markdownItKatex, { katex: recordingKatex as never });
  md.core.ruler.push("gtd_sections", (state) => {
    const env = state.env as ChapterEnv;
    currentEnv = env;
    const tokens = state.tokens;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      if (token.type === "heading_open") {
        const inline = tokens[i + 1];
        const children = inline.children ?? [];
        const title = inlineText(inline);
        const slug = slugify(inlineText(inline, { formulas: false }));
        let id = slug;
        for (let n = 2; env.ids.has(id); n++) id = `${slug}-${n}`;
        env.ids.add(id);
        token.attrSet("id", id);
        const level = Number(token.tag.slice(1));
        const html = md.renderer.renderInline(children, md.options, env);
        if (level === 1 && !env.opening.id) env.opening.id = id;
        if (level >= 2 && level <= 3)
          env.sections.push({ id, level, title, html, text: [], code: [], terms: [] });
        if (permalinks && level >= 2) inline.children = [...children, permalink(state, id, title)];
      } else if (token.type === "inline" && tokens[i - 1]?.type !== "heading_open") {
        const section = env.sections.at(-1) ?? env.opening;
        section.text.push(inlineText(token));
        section.terms.push(...boldTerms(token));
      } else if (token.type === "math_block" || token.type === "math_block_eqno") {
        (env.sections.at(-1) ?? env.opening).text.push(formulaText(token.content));
      } else if (token.type === "fence" || token.type === "code_block") {
        (env.sections.at(-1) ?? env.opening).code.push(token.content);
      }
    }
  });
  md.core.ruler.push("gtd_notebook_links", (state) => {
    for (const token of state.tokens)
      if (token.type === "inline")
        for (const child of token.children ?? []) notebookLinkToPage(child);
  });
  return {
    md,
    render(source: string, env: ChapterEnv) {
      currentEnv = env;
      return md.render(source, env);
    },
  };
}

/** The ¶ after a heading that links to it (shown on hover or focus): a section's permalink. */
function permalink(state: { Token: typeof Token }, id: string, title: string): Token {
  const token = new state.Token("html_inline", "", 0);
  token.content =
    ` <a class="permalink" href="#${escapeHtml(id)}" ` +
    `aria-label="${escapeHtml(`Link to this section: ${title}`)}">¶</a>`;
  return token;
}

/** A notebook of the book, linked from another one: `05-backpropagation.ipynb#section`. */
const NOTEBOOK_LINK = /^(\d\d-[a-z0-9-]+)\.ipynb(#.*)?$/;

/** Links between the book's notebooks point at their pages in the site: `NN-name.html`. */
function notebookLinkToPage(token: Token): void {
  if (token.type !== "link_open") return;
  const match = NOTEBOOK_LINK.exec(String(token.attrGet("href") ?? ""));
  if (match) token.attrSet("href", `${match[1]}.html${match[2] ?? ""}`);
}

/** A section of a page (a `##` or `###` heading): for the table of contents and the search index. */
export interface Section {
  id: string;
  level: number;
  /** Its heading as text, and as inline HTML. */
  title: string;
  html: string;
  /** The text of its paragraphs and its code, for the search index. */
  text: string[];
  code: string[];
  /** The phrases it puts in bold: the terms it introduces. */
  terms: string[];
}

/** A page's heading and what comes before its first section. */
export interface Opening {
  id: string | null;
  text: string[];
  code: string[];
  terms: string[];
}

/** What rendering a chapter's markdown collects, across its cells (markdown-it's `env`). */
export type ChapterEnv = {
  ids: Set<string>;
  opening: Opening;
  sections: Section[];
  mathErrors: string[];
};

/** A markdown-it with the book's plugins, and `render` that keeps track of KaTeX's failures. */
export interface Markdown {
  md: MarkdownItInstance;
  render(source: string, env: ChapterEnv): string;
}

/** A new per-chapter environment: anchors used, sections found, formulas that failed. */
export function chapterEnv(): ChapterEnv {
  return {
    ids: new Set(["top", "content", "sidebar", "search", "search-results", "theme-toggle"]),
    // The chapter's heading and what comes before its sections.
    opening: { id: null, text: [], code: [], terms: [] },
    sections: [],
    mathErrors: [],
  };
}

/** The bullets after "By the end of this chapter you will be able to", rendered inline (HTML). */
export function learningGoals(md: MarkdownItInstance, source: string): string[] {
  const tokens = md.parse(source, chapterEnv());
  const lead = tokens.findIndex(
    (t) => t.type === "inline" && /By the end of this chapter/i.test(t.content),
  );
  if (lead < 0) return [];
  const list = tokens.findIndex((t, i) => i > lead && t.type === "bullet_list_open");
  if (list < 0) return [];
  const goals: string[] = [];
  let depth = 0;
  for (let i = list; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.type === "bullet_list_open" || token.type === "ordered_list_open") depth++;
    if (token.type === "bullet_list_close" || token.type === "ordered_list_close") depth--;
    if (depth === 0) break;
    // The first paragraph of each item of the list itself (not of a nested list).
    if (depth === 1 && token.type === "list_item_open") {
      const inline = tokens.slice(i).find((t) => t.type === "inline");
      goals.push(md.renderer.renderInline(inline?.children ?? [], md.options, {}));
    }
  }
  return goals;
}

/**
 * What rendering outputs needs and counts: setupPlots()'s output (dropped), and the figures seen;
 * for a chapter's page also its number (figures are numbered in it) and the current cell's
 * descriptions of its figures.
 */
export interface OutputContext {
  plotlyBundleTag: string;
  figures: number;
  chapter?: number;
  descriptions?: readonly string[];
}

export function renderOutput(output: Output, context: OutputContext): string {
  const type = output.output_type;
  if (type === "stream") {
    const cls = output.name === "stderr" ? "stream stderr" : "stream";
    return `<pre class="output ${cls}">${escapeHtml(join(output.text).replace(ANSI, ""))}</pre>`;
  }
  if (type === "error") {
    const trace = (output.traceback ?? []).join("\n") || `${output.ename}: ${output.evalue}`;
    return `<pre class="output error">${escapeHtml(trace.replace(ANSI, ""))}</pre>`;
  }
  const data = output.data ?? {};
  if (data["text/html"] !== undefined) {
    const { html, figures } = rewriteHtmlOutput(join(data["text/html"]), {
      plotlyBundleTag: context.plotlyBundleTag,
      chapter: context.chapter,
      before: context.figures,
      descriptions: context.descriptions,
    });
    // The next output's figures take the cell's next descriptions.
    if (context.descriptions) context.descriptions = context.descriptions.slice(figures);
    context.figures += figures;
    return html ? `<div class="output html">${html}</div>` : "";
  }
  if (data["image/png"] !== undefined) {
    const png = join(data["image/png"]);
    return `<div class="output image"><img alt="" src="data:image/png;base64,${png}"></div>`;
  }
  if (data["image/svg+xml"] !== undefined) {
    const svg = join(data["image/svg+xml"]);
    return `<div class="output image"><img alt="" src="data:image/svg+xml;base64,${Buffer.from(
      svg,
    ).toString("base64")}"></div>`;
  }
  if (data["text/plain"] !== undefined) {
    return `<pre class="output text">${escapeHtml(join(data["text/plain"]))}</pre>`;
  }
  return "";
}

export const WORDS_PER_MINUTE = 200;

/**
 * Renders an executed notebook. `plotlyBundleTag` is the exact output of the library's setupPlots()
 * (dropped from the page). Throws, naming the cell, when a formula or an output cannot be rendered.
 */
export interface RenderedChapter {
  /** The text of its `#` heading, or null. */
  title: string | null;
  html: string;
  sections: Section[];
  opening: Opening;
  /** The learning goals (inline HTML). */
  goals: string[];
  figures: number;
  readingMinutes: number;
}

/** Cell metadata: one-line descriptions of the cell's figures, in order, for their text alternatives. */
export const FIGURE_DESCRIPTIONS = "figure_descriptions";

/** A cell's descriptions of its figures (its metadata `figure_descriptions`: a string or strings). */
export function figureDescriptions(cell: Notebook["cells"][number]): string[] {
  const value = cell.metadata?.[FIGURE_DESCRIPTIONS];
  if (value === undefined) return [];
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list) || !list.every((d) => typeof d === "string" && d.trim()))
    throw new Error(
      `metadata.${FIGURE_DESCRIPTIONS} must be a sentence or a list of sentences, one per figure`,
    );
  return list as string[];
}

export function renderChapter(
  notebook: Notebook,
  {
    plotlyBundleTag,
    committed: committedNotebook = notebook,
  }: {
    plotlyBundleTag: string;
    /** The notebook as committed: its cells' figure descriptions are read from it (the run's may be older). */
    committed?: Notebook;
  },
): RenderedChapter {
  const { md, render } = createMarkdown({ permalinks: true });
  const env = chapterEnv();
  const context: OutputContext = { plotlyBundleTag, figures: 0 };
  const parts: string[] = [];
  let title: string | null = null;
  let words = 0;
  let codeCell = 0;
  notebook.cells.forEach((cell, index) => {
    const source = join(cell.source);
    const where = `cell ${index + 1} of the notebook`;
    try {
      if (cell.cell_type === "markdown") {
        const errors = env.mathErrors.length;
        const html = render(source, env);
        if (env.mathErrors.length > errors) {
          throw new Error(`KaTeX cannot typeset: ${env.mathErrors.slice(errors).join("; ")}`);
        }
        title ??=
          md.parse(source, chapterEnv()).find((t, i, all) => all[i - 1]?.tag === "h1")?.content ??
          null;
        words += source.split(/\s+/).filter(Boolean).length;
        parts.push(`<section class="cell markdown">\n${html}</section>`);
      } else if (cell.cell_type === "code") {
        codeCell++;
        (env.sections.at(-1) ?? env.opening).code.push(source);
        const committed = committedNotebook.cells[index];
        context.descriptions = figureDescriptions(
          committed?.cell_type === "code" && join(committed.source) === source ? committed : cell,
        );
        context.chapter ??= Number(/^Chapter (\d+)/.exec(title ?? "")?.[1]) || undefined;
        const outputs = (cell.outputs ?? []).map((o) => renderOutput(o, context)).join("\n");
        parts.push(
          `<div class="cell code" id="code-${codeCell}">` +
            `<div class="input"><pre><code class="hljs language-typescript">${highlight(source)}` +
            `</code></pre></div>` +
            (outputs.trim() ? `<div class="outputs">\n${outputs}\n</div>` : "") +
            `</div>`,
        );
      }
    } catch (error) {
      const kind = cell.cell_type === "code" ? `code cell ${codeCell}, ` : "";
      (error as Error).message = `${kind}${where}: ${(error as Error).message}`;
      throw error;
    }
  });
  const first = notebook.cells.find((c) => c.cell_type === "markdown");
  return {
    title,
    html: parts.join("\n"),
    sections: env.sections,
    opening: env.opening,
    goals: first ? learningGoals(md, join(first.source)) : [],
    figures: context.figures,
    readingMinutes: Math.max(1, Math.round(words / WORDS_PER_MINUTE)),
  };
}
