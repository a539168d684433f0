#!/bin/sh
# run-scale-bench.sh — the whole pipeline on planted data at scale: planted data generated
# streaming, imported once, then `scalr run` with the default models at each -np, with each
# stage's time, the peak RSS of every rank, and a NumPy/SciPy reference of the heavy stages
# on the same split (bench/reference_scale.py) with the ratio, in one run.
#
# Usage: bench/run-scale-bench.sh [BUILD_DIR] [--events N] [--users N] [--source-items N]
#          [--target-items N] [--np "1 2"] [--no-reference] [-- SCALR_RUN_ARGS…]
#   BUILD_DIR   a built meson build directory (default: build-rel); use --buildtype=release.
#   --events    planted events, source + target (default 20M; suffixes k, M, G)
#   --users, --source-items, --target-items   planted sizes (default 1M, 30000, 20000: the
#               20M configuration of issue 12)
#   --np        the rank counts to run (default "1 2"; 1 runs without mpirun)
#   after --    extra `scalr run` arguments (e.g. --set downstream.models=pop,ials)
# Environment: BENCH_DIR (default ${TMPDIR:-/tmp}/scalr-bench): data and store go to
# $BENCH_DIR/scale-EVENTS and are reused. Needs /usr/bin/time, mpirun (openmpi-bin) for
# -np > 1, and /usr/bin/python3 with numpy and scipy for the reference.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=build-rel
events=20M users=1M src_items=30000 tgt_items=20000 nps="1 2" reference=1
while [ $# -gt 0 ]; do
  case "$1" in
    --events) events=$2; shift ;;
    --users) users=$2; shift ;;
    --source-items) src_items=$2; shift ;;
    --target-items) tgt_items=$2; shift ;;
    --np) nps=$2; shift ;;
    --no-reference) reference=0 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run-scale-bench.sh: unknown option $1" >&2; exit 2 ;;
    *) build=$1 ;;
  esac
  shift
done
case "$build" in /*) ;; *) build="$root/$build" ;; esac
scalr="$build/app/scalr"
for exe in "$scalr" "$build/bench/scalr-planted" "$build/bench/bench-scale-dump"; do
  [ -x "$exe" ] || { echo "run-scale-bench.sh: $exe not found; build first: meson setup $build --buildtype=release && ninja -C $build" >&2; exit 1; }
done
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
data="${BENCH_DIR:-${TMPDIR:-/tmp}/scalr-bench}/scale-$events"
mkdir -p "$data"
echo "== machine: $(nproc) processors, $(free -g | awk '/Mem:/ {print $2}') GiB; load before: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ ! -f "$data/planted/planted.json" ]; then
  echo "== planted: $events events, $users users, $src_items + $tgt_items items (streaming)"
  /usr/bin/time -f "   planted: %e s, peak RSS %M KB" "$build/bench/scalr-planted" -q -u "$users" -j "$src_items" \
    -i "$tgt_items" -n "$events" -o "$data/planted"
fi
if [ ! -f "$data/store.db" ]; then
  echo "== import"
  /usr/bin/time -f "   import: %e s, peak RSS %M KB" "$scalr" import --db "$data/store.db.part" --name planted \
    --events "$data/planted/events.tsv" --items "$data/planted/items.tsv" > /dev/null
  mv "$data/store.db.part" "$data/store.db"
fi

set -- --db "$data/store.db" --yes --json --set dataset.name=planted --set dataset.source=domain:source \
  --set dataset.target=domain:target "$@"
first_json=
for np in $nps; do
  out="$data/run-np$np"
  rm -f "$out".rss.*
  echo "== scalr run at -np $np (load before: $(cut -d' ' -f1-3 /proc/loadavg))"
  start=$(date +%s.%N)
  # Each rank under /usr/bin/time: its peak RSS (KB), user and system CPU seconds in
  # $out.rss.RANK.
  wrap="exec /usr/bin/time -f '%M %U %S' -o $out.rss.\${OMPI_COMM_WORLD_RANK:-0} \"\$@\""
  if [ "$np" = 1 ]; then
    sh -c "$wrap" sh "$scalr" run "$@" > "$out.json"
  else
    mpirun -np "$np" --oversubscribe sh -c "$wrap" sh "$scalr" run "$@" > "$out.json"
  fi
  end=$(date +%s.%N)
  echo "$start $end" > "$out.wall"
  [ -n "$first_json" ] || first_json="$out.json"
done

ref_json=
if [ "$reference" = 1 ]; then
  run_id=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["run_id"])' "$first_json")
  echo "== NumPy/SciPy reference on the split of run $run_id (load before: $(cut -d' ' -f1-3 /proc/loadavg))"
  "$build/bench/bench-scale-dump" --db "$data/store.db" --run "$run_id" --out "$data/dump"
  ref_json="$data/reference.json"
  /usr/bin/time -f "   reference: %e s, peak RSS %M KB" /usr/bin/python3 "$here/reference_scale.py" "$data/dump" \
    "$first_json" > "$ref_json"
fi

/usr/bin/python3 - "$data" "$ref_json" $nps <<'PY'
import glob, json, os, sys
data, ref_path, nps = sys.argv[1], sys.argv[2], sys.argv[3:]
ref = json.load(open(ref_path)) if ref_path else {}
runs = {}
for np_ in nps:
    base = os.path.join(data, f"run-np{np_}")
    r = json.load(open(base + ".json"))
    start, end = map(float, open(base + ".wall").read().split())
    rss, cpu = [], []
    for f in sorted(glob.glob(base + ".rss.*")):
        kb, user, system = open(f).read().split()[-3:]
        rss.append(int(kb) / 1048576)
        cpu.append(float(user) + float(system))
    fit, ev = {}, {}
    for m in r.get("downstream", {}).get("models", []):
        fit[m["model"]] = fit.get(m["model"], 0) + m["fit_seconds"]
        ev[m["model"]] = ev.get(m["model"], 0) + m["eval_seconds"]
    t = dict(r["timings"])
    if "downstream" in t:
        t["  lifts (downstream − fits − evaluations)"] = t["downstream"] - sum(fit.values()) - sum(ev.values())
    for m in fit:
        t[f"  fit {m} (all variants)"] = fit[m]
        t[f"  eval {m} (all variants)"] = ev[m]
    t["end to end (wall, with start-up)"] = end - start
    runs[np_] = (r, t, rss, cpu, end - start)
# stage → (reference key, scale): what the reference computes for the same work
cmp = {"generator": ("generator", 1), "sampler": ("sampler", 1),
       "  fit ials (all variants)": ("ials", None), "  fit ease (all variants)": ("ease", None),
       "  eval ials (all variants)": ("eval", None), "  lifts (downstream − fits − evaluations)": ("bootstrap", 1)}
first = runs[nps[0]][0]
n_var = max(1, len(str(first["config"]["downstream"].get("variants", "baseline")).split(",")))
r0 = first
print()
print(f"planted: {r0['split']['users']:,} users, {r0['split']['source_events']:,} source events, "
      f"{r0['split']['train_events']:,} target training events, {r0['split']['target_items']:,} target items; "
      f"synthetic {r0['synthetic']['events']:,}")
head = "stage".ljust(44) + "".join(f"-np {n}".rjust(11) for n in nps)
if ref:
    head += "NumPy/SciPy".rjust(13) + "ratio".rjust(8)
print(head)
stages = list(runs[nps[0]][1].keys())
for s in stages:
    line = s.ljust(44) + "".join(f"{runs[n][1].get(s, float('nan')):10.1f}s" for n in nps)
    if ref and s in cmp and cmp[s][0] in ref:
        key, scale = cmp[s]
        rv = ref[key] * (scale if scale else n_var)   # the C side fits/evaluates every variant
        ours = runs[nps[0]][1][s]
        line += f"{rv:12.1f}s" + (f"{rv / ours:7.1f}×" if ours > 0 else "".rjust(8))
    print(line)
for n in nps:
    _, _, rss, cpu, wall = runs[n]
    print(f"-np {n}: peak RSS per rank " + ", ".join(f"{x:.2f} GiB" for x in rss)
          + f"; CPU seconds per rank " + ", ".join(f"{x:.0f}" for x in cpu)
          + f" (processors busy on average: {sum(cpu) / wall:.2f})")
if ref:
    print("ratio: NumPy/SciPy seconds ÷ ours at -np " + nps[0] + " (>1: ours is faster); the reference fits "
          "and evaluates each variant once per model as ours does" +
          (f"; extrapolated: {', '.join(ref['extrapolated'])}" if ref.get("extrapolated") else ""))
PY
# Every rank count against the first: the same numbers (bench/compare_runs.py).
first_np=${nps%% *}
for np in $nps; do
  [ "$np" = "$first_np" ] && continue
  printf -- "-np %s vs -np %s: " "$first_np" "$np"
  /usr/bin/python3 "$here/compare_runs.py" "$data/run-np$first_np.json" "$data/run-np$np.json" || true
done
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
