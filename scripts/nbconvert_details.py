"""An nbconvert preprocessor for the HTML chapters: renders the markdown inside <details> blocks.

The exercise solutions sit in collapsed <details> blocks. JupyterLab renders the markdown inside them, but
nbconvert's markdown renderer passes a whole <details> block through as raw HTML, so the solutions' code
fences, bold text and lists would show as plain text in the exported chapter. This renders that inner
markdown to HTML first, with nbconvert's own renderer (which leaves $...$ math for MathJax).
Used by scripts/notebooks.js (exportHtml) through --Exporter.preprocessors.
"""
import re

from nbconvert.filters.markdown_mistune import markdown2html_mistune
from nbconvert.preprocessors import Preprocessor

DETAILS = re.compile(r"(<details>\s*<summary>.*?</summary>)(.*?)(</details>)", re.S)


def render_details(source):
    def render(match):
        html = markdown2html_mistune(match.group(2).strip())
        # A blank line would end the raw-HTML block early in the second markdown pass.
        html = re.sub(r"\n\s*\n", "\n", html)
        return f"{match.group(1)}\n{html}\n{match.group(3)}"

    return DETAILS.sub(render, source)


class RenderMarkdownInDetails(Preprocessor):
    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown" and "<details" in cell.source:
            cell.source = render_details(cell.source)
        return cell, resources
