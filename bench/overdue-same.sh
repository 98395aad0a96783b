#!/bin/sh
# Whether this worktree's build prints what another build prints for overdue on a ledger, byte for
# byte (stdout and stderr): plain, --json, --by client, --by client --json, as of two dates, in
# English and French. Usage: bench/overdue-same.sh OTHER_BIN [LEDGER]
#   e.g. bench/overdue-same.sh /work/wt/base-dist/bin/relance bench/out/ledger-mix-100k.db
# Prints one line per run and exits 1 when any differ. Run `npm run build` first.
set -u
other=$1
ledger=${2:-bench/out/ledger-mix-100k.db}
here=$(dirname "$0")/..
tmp=$(mktemp -d)
status=0
for lang in C.UTF-8 fr_FR.UTF-8; do
  for asof in 2026-11-20 2025-06-30; do
    for args in "" "--json" "--by client" "--by client --json"; do
      # shellcheck disable=SC2086
      LANG=$lang node "$other" -f "$ledger" overdue --as-of $asof $args >"$tmp/a.out" 2>"$tmp/a.err"
      # shellcheck disable=SC2086
      LANG=$lang node "$here/bin/relance" -f "$ledger" overdue --as-of $asof $args >"$tmp/b.out" 2>"$tmp/b.err"
      if cmp -s "$tmp/a.out" "$tmp/b.out" && cmp -s "$tmp/a.err" "$tmp/b.err"; then r=same; else r=DIFFERENT; status=1; fi
      echo "$r  LANG=$lang --as-of $asof $args ($(wc -c <"$tmp/b.out") bytes)"
    done
  done
done
rm -rf "$tmp"
exit $status
