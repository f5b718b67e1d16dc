"""The bundled sample platform: synthetic members, posts and consents, German and English.

:func:`generate` yields the platform's JSONL lines from a seed; :func:`write_platform` writes
them to a file. ``purposely demo`` (see :mod:`purposely.demo.run`) imports them into a fresh
store and asks the gate about every purpose.
"""

from purposely.demo.platform import PlatformSummary, generate, write_platform

__all__ = ["PlatformSummary", "generate", "write_platform"]
