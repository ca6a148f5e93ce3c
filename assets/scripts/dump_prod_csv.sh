#!/usr/bin/env bash
# Dumps one table of the production database to a dated CSV snapshot, atomically (temporary name, then rename).
#
# Usage: dump_prod_csv.sh SCHEMA.TABLE [YYYYMMDD]
# Environment:
#   PROD_DB_URL       PostgreSQL URL of the production database (password in PGPASSWORD or ~/.pgpass)
#   CSV_OUTPUT_PATH   folder for snapshots (default: <project>/.sluice/files)
# Writes <folder>/prod_snapshot_<YYYYMMDD>.csv with a header line; readers never see a partial file.
set -euo pipefail
# shellcheck source=lib/replication.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/replication.sh"

(($# >= 1 && $# <= 2)) || die "usage: $(basename "$0") SCHEMA.TABLE [YYYYMMDD]"
parse_table "$1"
day=$(snapshot_day "${2:-}")
url=$(db_url PROD_DB_URL)
out=$(snapshot_path "$day")
dir=$(dirname "$out")

mkdir -p -- "$dir"
# Same folder as the target, so the final mv is a rename within one file system.
tmp=$(mktemp -- "$dir/.$(basename "$out").XXXXXX")
trap 'rm -f -- "$tmp"' EXIT

# One statement, so the file is one consistent snapshot of the table.
psql -X -q -v ON_ERROR_STOP=1 --dbname="$url" \
  -c "\\copy (SELECT * FROM \"$SCHEMA\".\"$TABLE\") TO pstdout WITH (FORMAT csv, HEADER true)" >"$tmp"

[[ -s $tmp ]] || die "psql wrote nothing for $SCHEMA.$TABLE"
# Flush the data before the rename makes it visible; a crash must not publish an empty file.
sync -- "$tmp" 2>/dev/null || sync
chmod 0644 -- "$tmp"
mv -f -- "$tmp" "$out"
trap - EXIT
printf 'wrote %s from %s.%s (%s bytes)\n' "$out" "$SCHEMA" "$TABLE" "$(wc -c <"$out" | tr -d ' ')"
