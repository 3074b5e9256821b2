"""The packaged console executable ``a1dialer-native-host``: the browsers' native messaging host.

A separate console executable because a windowed Windows executable has no usable stdout, and
the browser speaks to the host over stdin/stdout.
"""

from __future__ import annotations

from a1dialer.desktop.native_host import main

if __name__ == "__main__":
    raise SystemExit(main())
