"""Pure-Python foundations: numbers, settings, secrets, call log, logging. Never imports Qt."""
