#!/usr/bin/env bash
# npm test: type check, build, unit and component tests (mocks), then integration and end-to-end tests
# against the real engine and a throwaway local cluster. Ends with one "N passed, N failed" line.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
source tools/env.sh
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0

echo "== typecheck"
tsc --noEmit -p . || status=1

# The CLI the tests spawn is the compiled one, so it is built from the source under test.
echo "== build"
node --require ts-node/register tools/build.ts || status=1

run_suite() {
  local name="$1"; shift
  echo "== $name"
  mocha --color "$@" 2>&1 | tee -a "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
}
run_suite "unit + component" 'test/unit/**/*.test.ts' 'test/component/**/*.test.ts'
if [ "${SKIP_INTEGRATION:-}" != "1" ]; then
  run_suite "integration + end to end (real engine, local cluster)" --timeout 900000 'test/integration/**/*.test.ts'
fi

plain="$(sed -E 's/\x1b\[[0-9;]*m//g' "$log")"
passed=$(grep -oE '^ *[0-9]+ passing' <<<"$plain" | awk '{s+=$1} END {print s+0}')
failed=$(grep -oE '^ *[0-9]+ failing' <<<"$plain" | awk '{s+=$1} END {print s+0}')
pending=$(grep -oE '^ *[0-9]+ pending' <<<"$plain" | awk '{s+=$1} END {print s+0}')
[ "$failed" -eq 0 ] || status=1
echo "tests: $passed passed, $failed failed, $pending skipped"
exit $status
