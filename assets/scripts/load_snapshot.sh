#!/usr/bin/env bash
# Loads a dated CSV snapshot into one environment's table, atomically: all of it, or nothing changes.
#
# Usage: load_snapshot.sh URL_VARIABLE SCHEMA.TABLE [YYYYMMDD]
#   URL_VARIABLE      name of the variable holding the target's PostgreSQL URL: DEV_DB_URL, STAGING_DB_URL, QA_DB_URL
# Environment:
#   CSV_OUTPUT_PATH     folder holding the snapshots (default: <project>/.sluice/files)
#   LOAD_LOCK_TIMEOUT   how long to wait for the table lock before giving up (default: 30s)
#
# The target table must exist (its schema belongs to the environment's migrations). In one transaction the
# CSV is copied into a temporary staging table shaped like the target (so a bad value or a missing column
# fails before the target is touched), then the target is emptied and refilled from the staging table.
# Any failure rolls the whole transaction back and leaves the target as it was.
set -euo pipefail
# shellcheck source=lib/replication.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/replication.sh"

(($# >= 2 && $# <= 3)) || die "usage: $(basename "$0") URL_VARIABLE SCHEMA.TABLE [YYYYMMDD]"
url_variable=$1
url=$(db_url "$url_variable")
parse_table "$2"
day=$(snapshot_day "${3:-}")
csv=$(snapshot_path "$day")
lock_timeout=${LOAD_LOCK_TIMEOUT:-30s}
[[ $lock_timeout =~ ^[0-9]+(ms|s|min)?$ ]] || die "LOAD_LOCK_TIMEOUT must look like 500ms, 30s or 2min, got '$lock_timeout'"

[[ -f $csv && -r $csv ]] || die "snapshot $csv does not exist; materialize files.prod_snapshot for $day first"
IFS= read -r header <"$csv" || die "snapshot $csv is empty"
header=${header%$'\r'}
# The header names the columns to load; only plain names, as dump_prod_csv.sh writes them, are accepted.
[[ $header =~ ^[A-Za-z_][A-Za-z0-9_]*(,[A-Za-z_][A-Za-z0-9_]*)*$ ]] ||
  die "snapshot $csv: the header '$header' is not a list of plain column names"
columns="\"${header//,/\",\"}\""
target="\"$SCHEMA\".\"$TABLE\""

sql=$(mktemp)
trap 'rm -f -- "$sql"' EXIT
cat >"$sql" <<SQL
SET LOCAL lock_timeout = '$lock_timeout';
CREATE TEMPORARY TABLE sluice_stage ON COMMIT DROP AS SELECT $columns FROM $target WITH NO DATA;
\\copy sluice_stage FROM pstdin WITH (FORMAT csv, HEADER true)
SELECT count(*) AS loaded FROM sluice_stage \\gset
TRUNCATE $target;
INSERT INTO $target ($columns) SELECT $columns FROM sluice_stage;
\\echo :loaded
SQL

# --single-transaction wraps the whole file in BEGIN/COMMIT; ON_ERROR_STOP turns any error into a rollback
# and a non-zero exit. The CSV arrives on psql's stdin (pstdin), so its path needs no SQL quoting.
loaded=$(psql -X -q -v ON_ERROR_STOP=1 --single-transaction --dbname="$url" -f "$sql" <"$csv")
printf 'loaded %s rows into %s.%s (%s) from %s\n' "$loaded" "$SCHEMA" "$TABLE" "$url_variable" "$csv"
