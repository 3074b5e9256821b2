"""Desktop integration: tray, one instance, links, hotkey, autostart, pinned numbers."""
