"""``newsroom`` with the toy kind registered (tests/test_toy_kind.py runs it as a child process)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import venue  # noqa: E402,F401  (registers the kind)
from newsroom.app.cli import main  # noqa: E402

sys.exit(main(sys.argv[1:]))
