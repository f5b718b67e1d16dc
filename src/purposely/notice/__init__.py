"""The privacy notice (German and English), records of processing and the Fides data map,
generated from the policy, the taxonomy and the data map the gate enforces."""

from purposely.notice.document import Document, Section, layout, purpose_sections
from purposely.notice.fides import fides_manifest, fides_yaml
from purposely.notice.model import Notice, build_notice
from purposely.notice.render import body_html, html_page, markdown, section_html
from purposely.notice.ropa import ropa_csv, ropa_rows
from purposely.notice.version import notice_version, version_of

__all__ = [
    "Document",
    "Notice",
    "Section",
    "body_html",
    "build_notice",
    "fides_manifest",
    "fides_yaml",
    "html_page",
    "layout",
    "markdown",
    "notice_version",
    "purpose_sections",
    "ropa_csv",
    "ropa_rows",
    "section_html",
    "version_of",
]
