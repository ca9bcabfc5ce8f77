"""Word lists the language detector loads with importlib.resources; sources in docs/language-detection.md."""
