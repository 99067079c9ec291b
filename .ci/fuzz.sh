#!/usr/bin/env bash
# Runs every fuzz target in the module for the given time each (default
# 10m; CI passes a few seconds, e.g. `.ci/fuzz.sh 5s`).
#
#   Usage: .ci/fuzz.sh [DURATION] [PACKAGE_PATTERN...]
#
# Targets are found with `go test -list '^Fuzz'` (so only targets that
# compile are listed, and nothing is missed by a grep). The HEIC decoder's
# build tags (wasm2go,nodynamic) are added to GOFLAGS unless the caller
# already passes -tags. Every target runs even after a failure; the script
# then exits 1 and prints each failing target with the crasher file that
# `go test -fuzz` wrote under the package's testdata/fuzz/<Target>/ (commit
# it as a regression seed once the bug is fixed).
#
# FUZZMINIMIZETIME (default 5s) bounds how long a worker minimizes each new
# interesting input. Go's default, 60s, stalls targets whose inputs are
# large or slow: internal/jpegdec's FuzzDecode ran 36 inputs in 90 s with
# it (both workers minimizing) and 42,000 in 20 s with 2s.
set -uo pipefail
cd "$(dirname "$0")/.."
t=${1:-10m}
shift || true
pkgs=("$@")
[ ${#pkgs[@]} -eq 0 ] && pkgs=(./...)

case " ${GOFLAGS:-} " in
  *" -tags"*) ;;
  *) export GOFLAGS="${GOFLAGS:+$GOFLAGS }-tags=wasm2go,nodynamic" ;;
esac

fail=()
count=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for pkg in $(go list "${pkgs[@]}"); do
  # -list prints the matching names, then "ok <pkg> <time>".
  targets=$(go test -run '^$' -list '^Fuzz' "$pkg" 2>&1) || {
    echo "!!! $pkg: cannot list fuzz targets:"; echo "$targets"
    fail+=("$pkg (does not build)")
    continue
  }
  for fz in $(grep '^Fuzz' <<<"$targets"); do
    count=$((count + 1))
    for try in 1 2; do
      label=""
      [ "$try" = 2 ] && label=", retry"
      echo "--- $pkg $fz ($t$label)"
      if go test -run '^$' -fuzz "^${fz}\$" -fuzztime "$t" \
          -fuzzminimizetime "${FUZZMINIMIZETIME:-5s}" "$pkg" 2>&1 | tee "$log"; then
        break
      fi
      # Go 1.26's fuzz coordinator can report a bare "context deadline
      # exceeded" when -fuzztime expires while a worker is mid-input
      # (golang/go#75804, fixed in Go 1.27): no input failed and none was
      # written. Such a run, and only such a run, is retried once.
      if [ "$try" = 1 ] && grep -q '^    context deadline exceeded$' "$log" &&
          ! grep -q 'Failing input written\|testdata/fuzz/\|panic:' "$log"; then
        echo "!!! $pkg $fz: fuzz coordinator deadline race (golang/go#75804), no failing input; retrying once"
        continue
      fi
      crasher=$(grep -o 'testdata/fuzz/[^ ]*' "$log" | head -1)
      dir=$(go list -f '{{.Dir}}' "$pkg")
      fail+=("$pkg $fz${crasher:+ crasher: $dir/$crasher}")
      break
    done
  done
done
echo "=== $count fuzz targets, ${#fail[@]} failed"
if [ ${#fail[@]} -gt 0 ]; then
  printf 'FAIL %s\n' "${fail[@]}"
  exit 1
fi
