"""Which Indian language (or English) a short message is in, typed natively or in Latin letters.

Pure and offline: the word lists ship under `data/`, py3langid ships its own model.
"""

from routing.language_detection.detector import clarifying_options, detect_language, detect_lines, warm_up
from routing.language_detection.result import LANGUAGES, Detection

__all__ = ["LANGUAGES", "Detection", "clarifying_options", "detect_language", "detect_lines", "warm_up"]
