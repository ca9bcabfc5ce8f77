"""Data protection (India's DPDP Act 2023 and its 2025 Rules): every trace of one caller found through the
association's keyed hash (``traces``), erased or exported on request (``requests``), and what is past its
association's retention purged (``retention``). This package is its door; docs/data-protection.md says what is
kept where.

May import: ``routing.safety``, ``routing.configuration`` (the audit log), ``routing.errors``,
``routing.phones``, ``schemas``. It sits above the channels because it reaches into every table they write.
"""

from routing.privacy.requests import Erasure, erase_number, export_number
from routing.privacy.retention import purge_expired

__all__ = ["Erasure", "erase_number", "export_number", "purge_expired"]
