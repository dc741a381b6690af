#!/usr/bin/env bash
# Runs every test project of Orbitr and ends with the line "N passed, N failed[, N skipped]".
# Installs what the tests need when it is missing (Debian packages; we run as root in CI),
# starts throwaway services on loopback, and stops what it started.
set -uo pipefail
cd "$(dirname "$0")"
root=$(pwd)

# Debian packages the test projects need: chromium for the end-to-end tests (Playwright drives
# /usr/bin/chromium); sox with its format plug-ins encodes OGG/MP3 files for the upload tests; python3-onnx
# builds the tiny stand-in MusicGen models (tests/Shared/TinyMusicGen) the MusicGen tests run the real pipeline on.
# postgresql, redis-server and Node's npm (for s3rver, an S3-compatible test server) back the deployment tests: the
# storage, queue and cache suites also run against a real PostgreSQL, Redis and S3 API (issue 14).
packages=(chromium sox libsox-fmt-all python3-onnx postgresql redis-server)
# The cross-engine suite (tests/Orbitr.Browsers.Tests, issue 22): Firefox ESR over WebDriver BiDi, with a PulseAudio
# null sink for its AudioContext; WebKitGTK's MiniBrowser through WebKitWebDriver on an Xvfb display.
packages+=(firefox-esr webkit2gtk-driver xvfb xauth pulseaudio)
# npm only when there is none (a Node.js from elsewhere brings its own, and Debian's npm would conflict with it).
command -v npm >/dev/null || packages+=(npm)

missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || {
    echo "test.sh: could not install ${missing[*]}"; echo "0 passed, 1 failed"; exit 1; }
fi

results="$root/TestResults/run-$(date +%s)"
mkdir -p "$results"
services="$(mktemp -d /tmp/orbitr-services-XXXXXX)"
cleanup() {
  [ -n "${pg_bin:-}" ] && [ -d "$services/pg" ] && runuser -u postgres -- "$pg_bin/pg_ctl" -D "$services/pg" -m immediate stop >/dev/null 2>&1
  [ -f "$services/redis.pid" ] && kill "$(cat "$services/redis.pid")" 2>/dev/null
  [ -n "${s3_pid:-}" ] && kill "$s3_pid" 2>/dev/null
  rm -rf "$services"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# Throwaway PostgreSQL on a loopback port: a cluster of its own (trust auth for the superuser "orbitr"), run as the
# postgres user (the server refuses root). Tests create their own databases in it.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -n "$pg_bin" ]; then
  pg_port=$(free_port)
  mkdir -p "$services/pg" "$services/pgsock" && chown postgres "$services" "$services/pg" "$services/pgsock"
  if runuser -u postgres -- "$pg_bin/initdb" -D "$services/pg" -U orbitr --auth=trust -E UTF8 >"$results/postgres-init.log" 2>&1 &&
     runuser -u postgres -- "$pg_bin/pg_ctl" -D "$services/pg" -w -l "$services/pg/server.log" \
       -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $services/pgsock -c max_connections=300 -c fsync=off" start >/dev/null 2>&1; then
    export ORBITR_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=orbitr;Database=postgres"
    echo "PostgreSQL on 127.0.0.1:$pg_port"
  else
    echo "test.sh: PostgreSQL did not start (see $results/postgres-init.log)"
  fi
fi

# Throwaway Redis on a loopback port, nothing saved to disk.
if command -v redis-server >/dev/null; then
  redis_port=$(free_port)
  if redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
       --pidfile "$services/redis.pid" --logfile "$services/redis.log" --dir "$services" >/dev/null 2>&1; then
    export ORBITR_TEST_REDIS="127.0.0.1:$redis_port"
    echo "Redis on 127.0.0.1:$redis_port"
  fi
fi

# s3rver (npm), an S3-compatible server, installed under .tools/ once and started on a loopback port.
s3rver="$root/.tools/node_modules/.bin/s3rver"
if [ ! -x "$s3rver" ] && command -v npm >/dev/null; then
  npm install --prefix "$root/.tools" --no-audit --no-fund --silent s3rver@3.7.1 >"$results/s3rver-install.log" 2>&1 || echo "test.sh: could not install s3rver (see $results/s3rver-install.log)"
fi
if [ -x "$s3rver" ]; then
  s3_port=$(free_port)
  mkdir -p "$services/s3"
  "$s3rver" --directory "$services/s3" --port "$s3_port" --address 127.0.0.1 --silent >"$services/s3.log" 2>&1 &
  s3_pid=$!
  export ORBITR_TEST_S3="http://127.0.0.1:$s3_port"
  echo "s3rver on 127.0.0.1:$s3_port"
fi

failed_build=0
# The style of .editorconfig: whitespace as the code already follows it (dotnet format; a failure counts as one).
echo "== format (dotnet format whitespace --verify-no-changes)"
format_failed=0
dotnet format whitespace Orbitr.slnx --verify-no-changes --verbosity minimal > "$results/format.log" 2>&1 || {
  format_failed=1; echo "test.sh: formatting differs from .editorconfig (run: dotnet format whitespace Orbitr.slnx):"; head -20 "$results/format.log"; }
echo "== build"
dotnet build Orbitr.slnx -c Release -nologo -v q > "$results/build.log" 2>&1 || failed_build=1
# The end-to-end tests drive the app as it ships: published with trimming (what `dotnet publish` gives users).
if [ $failed_build -eq 0 ]; then
  echo "== publish (for the end-to-end tests)"
  dotnet publish src/Orbitr.Server -c Release -o "$results/publish" -nologo -v q > "$results/publish.log" 2>&1 || failed_build=1
  export ORBITR_E2E_SERVER="$results/publish/Orbitr.Server.dll"
fi
grep -hE ": (error|warning) " "$results"/*.log | sort -u | head -50

status=0
if [ $failed_build -eq 0 ]; then
  for proj in tests/*/*.Tests.csproj; do
    name=$(basename "$proj" .csproj)
    echo "== $name"
    # The multi-process deployment tests run once, in the deployment pass below.
    filter=()
    [ "$name" = "Orbitr.Server.Tests" ] && filter=(--filter "Configuration!=deployment")
    dotnet test "$proj" -c Release --no-build -nologo "${filter[@]}" \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
      --results-directory "$results" || status=1
  done
  # The server's suites again as a real deployment: PostgreSQL (database and clustered queue), S3 blobs, Redis.
  echo "== Orbitr.Server.Tests (deployment: PostgreSQL, S3, Redis)"
  if [ -n "${ORBITR_TEST_POSTGRES:-}" ] && [ -n "${ORBITR_TEST_S3:-}" ] && [ -n "${ORBITR_TEST_REDIS:-}" ]; then
    ORBITR_TEST_DATABASE=postgres ORBITR_TEST_BLOBS=s3 ORBITR_TEST_CACHE=redis \
      dotnet test tests/Orbitr.Server.Tests/Orbitr.Server.Tests.csproj -c Release --no-build -nologo \
      --logger "trx;LogFileName=Orbitr.Server.Tests.deployment.trx" --logger "console;verbosity=minimal" \
      --results-directory "$results" || status=1
  else
    echo "test.sh: PostgreSQL, Redis or s3rver is not running: the deployment pass cannot run"
    status=1
  fi
else
  echo "test.sh: the build failed (see $results/build.log)"
  status=1
fi

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  total=$(get total); executed=$(get executed); p=$(get passed); f=$(get failed); e=$(get error)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0})); skipped=$((skipped + ${total:-0} - ${executed:-0}))
done
failed=$((failed + format_failed))
[ $format_failed -ne 0 ] && status=1
# A project that crashed or a build that failed counts as a failure even if no test reported one.
if [ $status -ne 0 ] && [ $failed -eq 0 ]; then failed=1; fi

line="$passed passed, $failed failed"
[ $skipped -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ $status -eq 0 ] && [ $failed -eq 0 ]
