#!/usr/bin/env bash
# Run the conformance suite against FHIR Works on AWS on 127.0.0.1.
#
#   external/fhir-works-on-aws/run.sh [--glue-standin] [--one-by-one] [more `run` options]
#
#   --glue-standin  run the export state machine and a Glue job stand-in (see server.cjs), so
#                   that exports finish; without it, FHIR Works runs as shipped and no export
#                   ever leaves "in-progress".
#   --one-by-one    one `run --grep <id>` per scenario, pausing PAUSE seconds (default 4) between
#                   them, so that FHIR Works' one-export-per-user throttle (429 at kick-off) does not
#                   decide the verdicts; reports go to $REPORTS/<scenario id>/. Meant with
#                   --glue-standin and short FWOA_SFN_WAIT_SECONDS / FWOA_GLUE_RUN_SECONDS.
#
# Environment: PORT (8090), SCRATCH (/tmp/ext/fhir-works-on-aws: where the server is installed),
# REPORTS (default $SCRATCH/reports-<mode>), SUITE_DIR (the checkout whose suite runs; default
# this repo), FWOA_SFN_WAIT_SECONDS (10, the deployment's wait) and FWOA_GLUE_RUN_SECONDS (5) for
# the stand-in. Exit code: the suite's (with --one-by-one: the worst of the runs).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
suite=${SUITE_DIR:-$(cd "$here/../.." && pwd)}
scratch=${SCRATCH:-/tmp/ext/fhir-works-on-aws}
port=${PORT:-8090}

server_args=(--port "$port")
mode=as-shipped
one_by_one=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --glue-standin) server_args+=(--glue-standin); mode=glue-standin; shift ;;
    --one-by-one) one_by_one=true; shift ;;
    *) break ;;
  esac
done
reports=${REPORTS:-$scratch/reports-$mode}

# 1. Install FHIR Works and the AWS emulators into the scratch directory (not the repo).
mkdir -p "$scratch"
if ! cmp -s "$here/scratch-package.json" "$scratch/package.json"; then
  cp "$here/scratch-package.json" "$scratch/package.json"
  (cd "$scratch" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error)
fi
cp "$here/server.cjs" "$here/aws-standins.cjs" "$scratch/"

# 2. Build the suite.
(cd "$suite" && npx tsc -p tsconfig.json)

# 3. Start the server; stop it (only it) on exit.
log="$scratch/server-$mode-$port.log"
node "$scratch/server.cjs" "${server_args[@]}" >"$log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true' EXIT
node -e '
  const url = process.argv[1];
  const deadline = Date.now() + 30000;
  (async () => {
    for (;;) {
      try { const r = await fetch(url); if (r.ok) return; } catch {}
      if (Date.now() > deadline) { console.error("server did not answer " + url); process.exit(1); }
      await new Promise((r) => setTimeout(r, 200));
    }
  })();' "http://127.0.0.1:$port/metadata"
echo "FHIR Works on AWS ($mode) on http://127.0.0.1:$port; server log: $log"

# 4. Run the suite.
cli=("node" "$suite/dist/src/cli/main.js")
if ! $one_by_one; then
  set +e
  "${cli[@]}" run --target "http://127.0.0.1:$port" --reports "$reports" "$@"
  rc=$?
  set -e
  echo "reports: $reports (exit code $rc)"
  exit "$rc"
fi

worst=0
for id in $("${cli[@]}" list --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const x of JSON.parse(s))console.log(x.id)})'); do
  set +e
  "${cli[@]}" run --target "http://127.0.0.1:$port" --reports "$reports/$id" --grep "$id" "$@" >"$reports.$id.log" 2>&1
  rc=$?
  set -e
  mkdir -p "$reports/$id" && mv "$reports.$id.log" "$reports/$id/console.log"
  node -e 'const r=require(process.argv[1]);const s=r.scenarios[0];console.log(`${s.outcome.padEnd(8)} ${s.id}`)' "$reports/$id/results.json"
  if [[ $rc -ne 0 && ( $worst -eq 0 || $rc -lt $worst ) ]]; then worst=$rc; fi
  grep -q '"outcome": *"skipped"' "$reports/$id/results.json" || sleep "${PAUSE:-4}"
done
echo "reports: $reports/<scenario id>/ (worst exit code $worst)"
exit "$worst"
