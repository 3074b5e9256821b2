"""A1 Dialer: click-to-call for A1PBX phone systems."""

__version__ = "0.1.0"
APP_NAME = "A1 Dialer"
APP_ID = "a1dialer"
