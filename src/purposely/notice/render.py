"""Markdown and HTML from a laid-out notice. Every value is escaped for its format.

Values come from the policy file (controller name, recipients), which the platform's operator
writes but a member reads: a name holding ``<script>`` or ``*`` must show as written, never
act as markup.
"""

from __future__ import annotations

import html
import re

from purposely.notice.document import Block, Bullets, Document, Fact, Facts, Para, Section
from purposely.notice.text import Span, Text

# Characters CommonMark gives a meaning anywhere in a line. `_` only makes emphasis at a word's
# edge, so keys such as train_ai_system stay readable in the Markdown source.
_MD_PUNCT = re.compile(r"([\\`*\[\]<>|])")
_MD_EDGE_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_BACKTICKS = re.compile(r"`+")

_CSS = """
body { font: 16px/1.55 system-ui, sans-serif; margin: 0; color: #1d1d1f; background: #fff; }
main { max-width: 46rem; margin: 0 auto; padding: 1.5rem 1.25rem 4rem; }
h1 { font-size: 1.8rem; line-height: 1.25; }
h2 { font-size: 1.35rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
h3 { font-size: 1.1rem; margin-top: 1.8rem; }
dt { font-weight: 600; margin-top: .8rem; }
dd { margin-left: 1.2rem; }
dd ul { padding-left: 1.1rem; margin: .2rem 0; }
code { font: .9em ui-monospace, monospace; background: #f2f2f4; padding: 0 .25em;
       border-radius: 3px; overflow-wrap: anywhere; }
@media (prefers-color-scheme: dark) {
  body { color: #e8e8ea; background: #161618; } code { background: #2a2a2e; }
  h2 { border-color: #333; }
}
""".strip()


def plain(text: Text) -> str:
    """``text`` without styling (for CSV cells and one-line summaries)."""
    return " ".join(str(text).split())


def markdown(doc: Document) -> str:
    """The notice as CommonMark."""
    out = [f"# {_md(doc.title)}", ""]
    out += _md_blocks(doc.intro)
    for section in doc.sections:
        out += [f"{'#' * section.level} {_md(section.title)}", ""]
        out += _md_blocks(section.blocks)
    return "\n".join(out).rstrip() + "\n"


def html_page(doc: Document) -> str:
    """The notice as one self-contained HTML page (no scripts, no external resources)."""
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{doc.lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="notice-version" content="{html.escape(doc.version)}">',
        f"<title>{html.escape(str(doc.title))}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        "<main>",
    ]
    return "\n".join([*head, body_html(doc), "</main>", "</body>", "</html>"]) + "\n"


def body_html(doc: Document) -> str:
    """The notice as an HTML fragment (title, introduction, sections) for a page of its own
    to embed, such as the privacy center's."""
    parts = [f"<h1>{_html(doc.title)}</h1>", *_html_blocks(doc.intro)]
    parts += [section_html(section) for section in doc.sections]
    return "\n".join(parts)


def section_html(section: Section) -> str:
    """One section of the notice as an HTML fragment: its heading and what follows it,
    exactly as :func:`html_page` shows it."""
    level = section.level
    heading = f"<h{level}>{_html(section.title)}</h{level}>"
    return "\n".join([heading, *_html_blocks(section.blocks)])


# --- Markdown -------------------------------------------------------------------------------


def _md(text: Text) -> str:
    return "".join(_md_span(span) for span in text.spans)


def _md_span(span: Span) -> str:
    if span.style == "code":
        longest = max((len(run) for run in _BACKTICKS.findall(span.text)), default=0)
        fence = "`" * (longest + 1)
        pad = " " if span.text.startswith("`") or span.text.endswith("`") else ""
        return f"{fence}{pad}{span.text}{pad}{fence}"
    escaped = _md_escape(span.text)
    return f"**{escaped}**" if span.style == "strong" else escaped


def _md_escape(value: str) -> str:
    flat = " ".join(value.split()) if "\n" in value else value
    flat = _MD_PUNCT.sub(r"\\\1", flat)
    flat = _MD_EDGE_UNDERSCORE.sub(r"\\_", flat)
    return _MD_ENTITY.sub(r"\\&", flat)


def _md_blocks(blocks: tuple[Block, ...]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Para):
            out.append(_md(block.text))
        elif isinstance(block, Bullets):
            out += [f"- {_md(item)}" for item in block.items]
        else:
            for fact in block.facts:
                out += _md_fact(fact)
        out.append("")
    return out


def _md_fact(fact: Fact) -> list[str]:
    label = f"**{_md(fact.label)}:**"
    if len(fact.values) == 1:
        return [f"- {label} {_md(fact.values[0])}"]
    return [f"- {label}", *(f"  - {_md(value)}" for value in fact.values)]


# --- HTML -----------------------------------------------------------------------------------


def _html(text: Text) -> str:
    return "".join(_html_span(span) for span in text.spans)


def _html_span(span: Span) -> str:
    escaped = html.escape(span.text)
    if span.style == "code":
        return f"<code>{escaped}</code>"
    if span.style == "strong":
        return f"<strong>{escaped}</strong>"
    return escaped


def _html_blocks(blocks: tuple[Block, ...]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Para):
            out.append(f"<p>{_html(block.text)}</p>")
        elif isinstance(block, Bullets):
            out += ["<ul>", *(f"<li>{_html(item)}</li>" for item in block.items), "</ul>"]
        elif isinstance(block, Facts):
            out += ["<dl>", *(_html_fact(fact) for fact in block.facts), "</dl>"]
    return out


def _html_fact(fact: Fact) -> str:
    label = f"<dt>{_html(fact.label)}</dt>"
    if len(fact.values) == 1:
        return f"{label}<dd>{_html(fact.values[0])}</dd>"
    items = "".join(f"<li>{_html(value)}</li>" for value in fact.values)
    return f"{label}<dd><ul>{items}</ul></dd>"
