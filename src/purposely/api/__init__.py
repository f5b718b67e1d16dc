"""The HTTP doors to the gate (``purposely serve``): a REST API for the platform's services,
the privacy center for members and the admin view for the privacy officer. They add no rules:
every use of personal data still goes through :class:`purposely.gate.Gate`."""

from purposely.api.app import create_app
from purposely.api.settings import Settings

__all__ = ["Settings", "create_app"]
