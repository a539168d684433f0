#!/usr/bin/env bash
# `scalr tune` on MovieLens small (the default Comedy → Drama experiment): 24 trials, and the
# reference of 24 runs that share nothing (one `scalr run` of the base config, measured in the
# same script, times 24). Prints wall and CPU seconds, what the trials shared, and the ratio.
#   bench/run-tune-bench.sh [BUILD_DIR] [TRIALS]      (a release build: meson setup build-rel --buildtype=release)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build-rel}
TRIALS=${2:-24}
S="$PWD/$BUILD/app/scalr"
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
DB="$DIR/bench.db"
"$S" import --db "$DB" --name movielens-small --events data/movielens-small/ratings.tsv \
            --items data/movielens-small/movies.tsv > /dev/null

# Wall and CPU (user + system) seconds of one command; CPU is "nan" without GNU time.
measure () {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%e %U %S" -o "$DIR/time" "$@" > "$DIR/out.json"
    awk '{ print $1, $2 + $3 }' "$DIR/time"
  else
    local start end
    start=$(date +%s.%N); "$@" > "$DIR/out.json"; end=$(date +%s.%N)
    echo "$(echo "$end - $start" | bc) nan"
  fi
}

read -r run_wall run_cpu < <(measure "$S" run --db "$DB" --config data/movielens-comedy-drama.ini --json)
read -r tune_wall tune_cpu < <(measure "$S" tune --db "$DB" --config data/movielens-comedy-drama.ini \
                                       --trials "$TRIALS" --yes --json)
/usr/bin/python3 - "$DIR/out.json" "$run_wall" "$tune_wall" "$TRIALS" "$run_cpu" "$tune_cpu" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
run_wall, tune_wall, trials = float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
run_cpu, tune_cpu = float(sys.argv[5]), float(sys.argv[6])
t = d["tuning"]
sh = t["shared"]
print(f"scalr tune, {len(t['trials'])} trials on MovieLens small (run {d['run_id']}):")
print(f"  wall {tune_wall:.1f} s, CPU {tune_cpu:.1f} s (search {t['wall_seconds']:.1f} s wall, then the selection on test users and the stored run)")
print(f"  shared: {sh['generator_fits']} generator fits, {sh['sampler_runs']} sampler runs, "
      f"{sh['baseline_fits']} baseline and {sh['augmented_fits']} augmented model fits")
print(f"  reference: one scalr run of the base config {run_wall:.1f} s wall, {run_cpu:.1f} s CPU; "
      f"{trials} unshared runs ≈ {trials * run_wall:.1f} s wall, {trials * run_cpu:.1f} s CPU")
print(f"  ratio (unshared / tune): {trials * run_wall / tune_wall:.2f}× wall, {trials * run_cpu / tune_cpu:.2f}× CPU "
      f"({tune_wall / 60:.1f} min wall for {trials} trials)")
PY
