"""Plain text from the small HTML that social networks put in posts and profiles.

Mastodon sends a post's ``content`` and a profile's ``summary`` as HTML: paragraphs, line
breaks, links whose visible text is split over ``<span>`` elements, and entities. Datasets
and the redaction step need the words, not the markup. The standard library's parser is
enough for that and never fetches or runs anything.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements whose end starts a new line, so paragraphs and list items do not run together.
_BLOCK_ENDS = frozenset(
    {"p", "div", "li", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol"}
)
# Elements whose content is never text a person wrote.
_HIDDEN = frozenset({"script", "style", "template"})
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_BLANK_LINES = re.compile(r"\n{3,}")


class _TextCollector(HTMLParser):
    """Keeps character data, turns ``<br>`` and block ends into newlines, drops the rest."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # entities arrive unescaped in handle_data
        self.parts: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """A ``<br>`` is a line break; a hidden element starts dropping text."""
        if tag == "br":
            self.parts.append("\n")
        elif tag in _HIDDEN:
            self._hidden_depth += 1

    def handle_endtag(self, tag: str) -> None:
        """The end of a block element ends its line."""
        if tag in _HIDDEN:
            self._hidden_depth = max(0, self._hidden_depth - 1)
        elif tag in _BLOCK_ENDS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        """Text between tags, already unescaped."""
        if not self._hidden_depth:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """``html`` as plain text: tags dropped, ``<br>`` and ``</p>`` as newlines, entities unescaped.

    Whitespace at the ends of lines and of the whole text is removed, and runs of blank
    lines shrink to one, so the same post always gives the same text.
    """
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    text = _TRAILING_SPACE.sub("\n", "".join(collector.parts))
    return _BLANK_LINES.sub("\n\n", text).strip()


class _LinkCollector(HTMLParser):
    """Collects the web addresses that ``<a href>`` elements point to."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Keep the ``href`` of a link to a web page (not ``mailto:`` or scripts)."""
        if tag != "a":
            return
        href = dict(attrs).get("href")
        if href and href.lower().startswith(("https://", "http://")) and href not in self.hrefs:
            self.hrefs.append(href)


def html_links(html: str) -> list[str]:
    """The distinct ``http(s)`` addresses that links in ``html`` point to, in order."""
    collector = _LinkCollector()
    collector.feed(html)
    collector.close()
    return collector.hrefs
