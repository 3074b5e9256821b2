"""PySide6 widgets, and the one helper that runs blocking work on a thread pool."""
