#!/usr/bin/env bash
# Prints raw, gzip -9 and brotli -q 11 sizes of every file in dist/ and the totals (what a visitor downloads).
set -euo pipefail
dir=${1:-dist}
[ -d "$dir" ] || { echo "no $dir/: run 'make dist' first" >&2; exit 1; }
have_brotli=1
command -v brotli >/dev/null || have_brotli=0
printf '%-44s %10s %10s %10s\n' file raw gzip brotli
total_raw=0 total_gz=0 total_br=0
while IFS= read -r f; do
  raw=$(wc -c <"$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  if [ $have_brotli = 1 ]; then br=$(brotli -q 11 -c "$f" | wc -c); else br=0; fi
  total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz)) total_br=$((total_br + br))
  printf '%-44s %10d %10d %10s\n' "${f#"$dir"/}" "$raw" "$gz" "$([ $have_brotli = 1 ] && echo "$br" || echo n/a)"
done < <(find "$dir" -type f | sort)
printf '%-44s %10d %10d %10s\n' TOTAL "$total_raw" "$total_gz" "$([ $have_brotli = 1 ] && echo "$total_br" || echo n/a)"
