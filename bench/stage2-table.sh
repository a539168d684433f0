#!/usr/bin/env bash
# The stage-2 table of the README: baseline vs augmented Recall@20 and NDCG@20 for sparse
# users, all five models, lift with CI and p-values against the model's own and the
# strongest baseline — for cooc, embmap and the popularity control, sparse_keep 0 and 2.
#   bench/stage2-table.sh [BUILD_DIR] [DB]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
DB=${2:-$(mktemp -d)/stage2.db}
S="$BUILD/app/scalr"
"$S" datasets --db "$DB" --json | grep -q '"movielens-small"' || \
  "$S" import --db "$DB" --name movielens-small --events data/movielens-small/ratings.tsv \
              --items data/movielens-small/movies.tsv > /dev/null
for keep in 0 2; do
  for gen in cooc embmap popularity; do
    id=$("$S" run --db "$DB" --config data/presets/sparse-users.ini --set generator.model=$gen \
               --set split.sparse_keep=$keep --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["run_id"])')
    "$S" show --db "$DB" "$id" --json > "$DB.$id.json"
    python3 - "$DB.$id.json" "$gen" "$keep" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); gen, keep = sys.argv[2], sys.argv[3]
def metric(model, variant, name):
    for m in d["metrics"]:
        if m["model"] == model and m["variant"] == variant and m["segment"] == "sparse" and m["metric"] == name and m["k"] == 20:
            return m["value"]
def lift(model, name, ref):
    # A model whose own baseline is the strongest has one row for both (also_strongest).
    for l in d["lifts"]:
        if l["model"] == model and l["segment"] == "sparse" and l["metric"] == name and l["k"] == 20 and \
           (l["reference"] == ref or (ref == "strongest" and l.get("also_strongest"))):
            return l
def fmt(l):
    if l is None: return "—"
    if l["reference"] == "own" and l.get("also_strongest") and fmt.strongest: return "(its own baseline)"
    p = lambda x: "<0.001" if x is not None and x < 0.001 else ("%.3f" % x if x is not None else "—")
    c = lambda x: "%+.1f" % (100 * x) if x is not None else "—"
    return "%s%% [%s, %s] p_t %s p_W %s Holm %s" % (c(l["lift"]), c(l["ci_low"]), c(l["ci_high"]), p(l["p_t"]), p(l["p_wilcoxon"]), p(l["p_holm"]))
fmt.strongest = False
print(f"\n**{gen}, sparse_keep={keep}** (run {d['run_id']}; sparse users: {d['split']['sparse_users']})\n")
print("| model | metric | baseline | augmented | vs own baseline | vs strongest (%s) |" % lift("pop", "recall", "strongest")["baseline_model"])
print("|---|---|---|---|---|---|")
for model in ["pop", "itemknn", "ials", "bpr", "ease"]:
    for name in ["recall", "ndcg"]:
        own = fmt(lift(model, name, 'own'))
        fmt.strongest = True
        best = fmt(lift(model, name, 'strongest'))
        fmt.strongest = False
        print(f"| {model} | {name}@20 | {metric(model,'baseline',name):.4f} | {metric(model,'augmented',name):.4f} | {own} | {best} |")
PY
  done
done
