#!/bin/sh
# The month's driver under its earlier name: every option is bangfu-month's
# (--db, --period, --roster, --hr, --out, --returned, --as-of, --unit,
# --tasks, --status, --targets, …; `bangfu-month --help`).  Kept so that the
# scripts written against it go on working.
BIN=${BIN:-$(cd "$(dirname "$0")/.." && pwd)/bin}
exec "$BIN/bangfu-month" "$@"
