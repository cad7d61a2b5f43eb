"""How big a number from outside may be: item numbers, session ids, held submissions' ids.

Nine digits at most, so that every database's integer column holds it: PostgreSQL's INTEGER
stops at 2,147,483,647 (a bigger parameter is a DataError), SQLite's at 2**63 - 1 (past which
the driver raises OverflowError before the query runs). Parsers, button readers and the
session lookup all check against this one rule.
"""

from __future__ import annotations

LARGEST = 999_999_999
MAX_DIGITS = len(str(LARGEST))


def fits(number: int) -> bool:
    return 0 <= number <= LARGEST
