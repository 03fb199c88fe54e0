#!/usr/bin/env bash
# Runs scripts/benchmark-methods.sh with its tiny preset (every stage and method family, a few steps each: ~5 minutes
# on 2 cores) and checks that the comparison has every arm and protocol column. Ends with an xunit-style line that scripts/test.sh sums.
set -uo pipefail
cd "$(dirname "$0")/.."
# The launcher picks the allocator settings per command (test.sh exports its own for the test processes).
unset MALLOC_MMAP_MAX_ MALLOC_TRIM_THRESHOLD_
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail() { echo "scripts/test-benchmark.sh: $*" >&2; echo "Failed! - Failed: 1, Passed: 0, Skipped: 0 (scripts/test-benchmark.sh)"; exit 1; }
BENCH_DIR="$out/bench" ./scripts/benchmark-methods.sh tiny > "$out/log" 2>&1 || { tail -n 20 "$out/log" >&2; fail "the tiny preset failed"; }
md="$out/bench/comparison/comparison.md"
[ -f "$md" ] && [ -f "$out/bench/comparison/comparison.png" ] && [ -f "$out/bench/comparison/comparison.json" ] || fail "no comparison.md/json/png"
splits="plain venous"
[ -d ../shared/data/nifti/ct-abdomen-3mm ] && splits="$splits real"
for split in $splits; do grep -q "^## Split: $split" "$md" || fail "split $split missing from $md"; done
for row in vox2vec hierarchical handmade "random init (vox2vec)" "from scratch" \
  sal "random init (sal)" context2d-heatmap "random init (context2d-heatmap)" gvdiff unet simsiam-1 simsiam-3 scl-3; do
  grep -q "^| $row |" "$md" || fail "row '$row' missing from $md"
done
# hierarchical's random init is vox2vec's (the same network): evaluated once, its rows paired with it
grep -q "^| random init (hierarchical) |" "$md" && fail "hierarchical's random init was evaluated although it is vox2vec's"
grep -q "^| hierarchical | linear | random init (vox2vec) |" "$md" || fail "hierarchical / linear is not paired with random init (vox2vec)"
grep -Eq "^\| hierarchical \| [0-9.]+, \**Δ [+-]" "$md" || fail "hierarchical / linear has no difference to random init (vox2vec)"
grep -q "^| method | linear | knn-1 | knn-3 | finetune-2 | supervised-2 | slice-finetune-2 |" "$md" ||
  fail "plain split lacks the linear, knn-1, knn-3, finetune-2, supervised-2, slice-finetune-2 columns"
# Header; vox2vec and hierarchical (1 seed): a frozen call per split + 1 fine-tune call on plain; 1 scratch call;
# SAL, context and voxel SimSiam: 1 call each, on plain.
expected=$(( 1 + 2 * ($(echo "$splits" | wc -w) + 1) + 1 + 3 ))
[ "$(wc -l < "$out/bench/runs.tsv")" -eq "$expected" ] || fail "runs.tsv has $(wc -l < "$out/bench/runs.tsv") lines, expected $expected"
echo "Passed! - Failed: 0, Passed: 1, Skipped: 0 (scripts/test-benchmark.sh)"
