"""Reports, staffing and coverage, read from the database: figures per language and period computed in SQL
from the contact records (never from Redis), the listeners a language needs (Erlang C and Erlang A), and
the hours in which fewer listeners are rostered than wanted. This package is its door; nothing in routing
imports it. May import: ``routing.roster``, ``routing.configuration``, ``routing.engine``,
``routing.errors``, ``locales``, ``schemas``.
"""

from routing.reports.coverage import CoverageGap, find_coverage_gaps
from routing.reports.digest import Digest, digests_due, prepare_digest
from routing.reports.figures import Report, ReportRow, build_report
from routing.reports.periods import Period, ReportRange
from routing.reports.plan import StaffingHour, plan_staffing

__all__ = [
    "CoverageGap",
    "Digest",
    "Period",
    "Report",
    "ReportRange",
    "ReportRow",
    "StaffingHour",
    "build_report",
    "digests_due",
    "find_coverage_gaps",
    "plan_staffing",
    "prepare_digest",
]
