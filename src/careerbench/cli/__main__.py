"""``python -m careerbench.cli``."""

from careerbench.cli import main

main()
