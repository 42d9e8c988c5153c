#!/bin/bash
# The built-in RelaxNG engine of an older commit against this one, and jing in one JVM,
# interleaved (the machine is shared), on a corpus; engines with one worker per core, parse
# included (bench/engine.py --corpus-worker), every cache warmed first.
#
#   bash bench/engine_compare.sh 099cc44 ../shared/corpora/gerdracor-all [RUNS]
#
# The older engine only gets the packaged tei_all (it refuses the 4.12.0 and DraCor schemas).
set -eu
REF=$1; CORPUS=$2; RUNS=${3:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OLD=$(mktemp -d); export XDG_CACHE_HOME=$(mktemp -d)
trap 'rm -rf "$OLD" "$XDG_CACHE_HOME"' EXIT
git -C "$ROOT" archive "$REF" serge_tei bench | tar -x -C "$OLD"
cd "$ROOT"
SCHEMAS=("$(python -c 'from serge_tei.validation.teiall import packaged_tei_all; print(packaged_tei_all())')"
         ../shared/schemas/tei_all_4.12.0.rng ../shared/schemas/dracor_1.6.0.rng)
FILES=("$CORPUS"/*.xml)
JING=$(python -c 'from serge_tei.validation.jing import jing_command; print(" ".join(jing_command()))')
WARM='import sys;from serge_tei import rngengine;from serge_tei.reading import read_document as r
s=rngengine.load(sys.argv[1])
for f in sys.argv[2:]: s.validate(r(f))'
PYTHONPATH="$OLD" python -c "$WARM" "${SCHEMAS[0]}" "${FILES[@]}"
for s in "${SCHEMAS[@]}"; do python -c "$WARM" "$s" "${FILES[@]}"; done
TIME=(/usr/bin/time -f "%e s wall %U s user %S s sys")
for run in $(seq "$RUNS"); do
  echo "-- run $run, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo -n "before $REF $(basename "${SCHEMAS[0]}"): "
  env PYTHONPATH="$OLD" "${TIME[@]}" python "$OLD/bench/engine.py" --corpus-worker "${FILES[@]}" \
    2>&1 | tail -1 || true
  for s in "${SCHEMAS[@]}"; do
    echo -n "after $(basename "$s"): "
    "${TIME[@]}" python bench/engine.py --corpus-worker --schema "$s" "${FILES[@]}" 2>&1 \
      | tail -1 || true
    echo -n "jing $(basename "$s"): "
    "${TIME[@]}" $JING "$s" "${FILES[@]}" 2>&1 >/dev/null | tail -1 || true
  done
done
echo "-- end, load $(cut -d' ' -f1-3 /proc/loadavg)"
