"""The frozen executable's entry point: ``a1dialer.cli.main``, plus ``--smoke-test``.

``--smoke-test`` is handled here so a build can be checked whether or not ``a1dialer.cli`` knows it.
"""

from __future__ import annotations

import sys


def main() -> int:
    if "--smoke-test" in sys.argv[1:]:
        from a1dialer.smoke_test import run_smoke_test

        return run_smoke_test()
    from a1dialer.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    raise SystemExit(main())
