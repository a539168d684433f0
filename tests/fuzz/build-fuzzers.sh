#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/fuzz-*.c) with clang, AddressSanitizer and UBSan
# in a build directory of their own (default build-fuzz/). Installs clang and its libFuzzer
# runtime when they are missing: the normal build (gcc) does not need them.
#   tests/fuzz/build-fuzzers.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build-fuzz}
bash scripts/deps.sh

FUZZ_PACKAGES=(clang libclang-rt-14-dev)
missing=()
for p in "${FUZZ_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "fuzz: installing ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# Every object (the core library too) gets libFuzzer's coverage instrumentation; the
# targets themselves link libFuzzer's main (tests/fuzz/meson.build, -Dfuzzing=true).
OPTS=(-Dfuzzing=true -Dgui=disabled -Db_sanitize=address,undefined -Db_lundef=false
      --buildtype=debugoptimized -Dc_args=-fsanitize=fuzzer-no-link)
if [ -f "$BUILD/build.ninja" ]; then
  meson configure "$BUILD" "${OPTS[@]}" >/dev/null
else
  CC=clang meson setup "$BUILD" "${OPTS[@]}" >/dev/null
fi
TARGETS=(tsv csv inter items rule config set grid)
ninja -C "$BUILD" "${TARGETS[@]/#/tests/fuzz/fuzz-}"
