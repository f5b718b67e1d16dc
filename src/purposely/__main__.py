"""Allow ``python -m purposely``."""

from purposely.cli import main

main()
