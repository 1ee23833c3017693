"""`python -m kg92.cli …`: the same as the `kg92` command."""

import sys

from kg92.cli import main

sys.exit(main())
