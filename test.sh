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
packages=(chromium sox libsox-fmt-all python3-onnx)

missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || {
    echo "test.sh: could not install ${missing[*]}"; echo "0 passed, 1 failed"; exit 1; }
fi

results="$root/TestResults/run-$(date +%s)"
mkdir -p "$results"
cleanup() { :; }
trap cleanup EXIT

failed_build=0
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
    dotnet test "$proj" -c Release --no-build -nologo \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
      --results-directory "$results" || status=1
  done
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
# A project that crashed or a build that failed counts as a failure even if no test reported one.
if [ $status -ne 0 ] && [ $failed -eq 0 ]; then failed=1; fi

line="$passed passed, $failed failed"
[ $skipped -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ $status -eq 0 ] && [ $failed -eq 0 ]
