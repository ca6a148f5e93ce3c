# Shared by the replication scripts: argument checks, where the dated snapshot lives, which database to use.
# Sourced, not run: the caller has already set `set -euo pipefail`.

# Dates and instants travel as text: the same style and zone on both ends, whatever each server defaults to.
export PGDATESTYLE='ISO, YMD' PGTZ=UTC

# Prints an error naming the calling script and exits non-zero.
die() {
  printf '%s: error: %s\n' "$(basename "$0")" "$*" >&2
  exit 1
}

# A YYYYMMDD date, as sluice's {{ ds_nodash }} gives it; defaults to today in UTC (what sluice uses too).
snapshot_day() {
  local day=${1:-$(date -u +%Y%m%d)}
  [[ $day =~ ^[0-9]{8}$ ]] || die "date must look like 20250110 (YYYYMMDD), got '$day'"
  printf '%s\n' "$day"
}

# Splits SCHEMA.TABLE into the globals SCHEMA and TABLE. Only plain identifiers are accepted, because
# the names are written into SQL (double-quoted) and into psql's \copy, which interpolates nothing.
parse_table() {
  local re='^([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)$'
  [[ $1 =~ $re ]] || die "table must be SCHEMA.TABLE with plain identifiers (letters, digits, _), got '$1'"
  SCHEMA=${BASH_REMATCH[1]}
  TABLE=${BASH_REMATCH[2]}
}

# The connection URL held by the variable named $1 (e.g. DEV_DB_URL). The URL never appears in a
# script or an argument list of ours; keep its password in PGPASSWORD or ~/.pgpass rather than in it.
db_url() {
  local name=$1
  [[ $name =~ ^[A-Z_][A-Z0-9_]*$ ]] || die "'$name' is not an environment variable name"
  local url=${!name:-}
  [[ -n $url ]] || die "$name is not set; export it as a PostgreSQL URL, e.g. postgres://user@host:5432/dbname"
  printf '%s\n' "$url"
}

# Where the snapshot of day $1 lives: $CSV_OUTPUT_PATH, else .sluice/files under the project root.
snapshot_path() {
  local dir=${CSV_OUTPUT_PATH:-${SLUICE_PROJECT_DIR:-$PWD}/.sluice/files}
  printf '%s/prod_snapshot_%s.csv\n' "${dir%/}" "$1"
}
