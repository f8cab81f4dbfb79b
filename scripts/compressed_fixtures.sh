#!/usr/bin/env bash
# Writes the generated Deep-Compression-style fixtures (scripts/make_compressed_fixture.py:
# 2/3 of every conv weight pruned to zero, at most 16 shared values a layer)
# into OUT:
#   OUT/squeezenet1_1_dc.onnx        squeezec's squeezenet1.1 graph, 1000 classes, 224x224, seeded weights
#   OUT/squeezenet1_1_digits32_pc.onnx  the trained digits model pruned and shared without retraining
#                                    (metadata_props kept; the retrained one is committed:
#                                    Tests/Fixtures/digits/squeezenet1_1_digits32_dc.onnx)
#
#   scripts/compressed_fixtures.sh OUT
#
# Not committed (5 MB): tests make them under .build/. Idempotent: files made
# by the current generator (a stamp holds its checksum) are left alone; test
# suites running at the same time wait for one another (a lock in OUT).
# Uses the repo's venv (scripts/venv.sh). Deterministic.
set -euo pipefail
out="${1:?usage: scripts/compressed_fixtures.sh OUT}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
py="$("$root/scripts/venv.sh" | tail -n1)"

lock="$out/.lock"
if command -v flock >/dev/null; then
  exec 8>"$lock"
  flock 8
else
  until mkdir "$lock.d" 2>/dev/null; do sleep 1; done
  trap 'rmdir "$lock.d"' EXIT
fi

generator="$root/scripts/make_compressed_fixture.py"
stamp="$out/.stamp"
want="$(cksum <"$generator")"
files=(squeezenet1_1_dc.onnx squeezenet1_1_digits32_pc.onnx)
fresh=1
[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] || fresh=0
for f in "${files[@]}"; do [ -f "$out/$f" ] || fresh=0; done
if [ "$fresh" = 1 ]; then
  echo "compressed fixtures up to date in $out" >&2
  exit 0
fi

rm -f "$stamp"
"$py" "$generator" squeezenet1.1 "$out/squeezenet1_1_dc.onnx" --classes 1000 --input-size 224 --seed 1
"$py" "$generator" "$root/Tests/Fixtures/digits/squeezenet1_1_digits32.onnx" "$out/squeezenet1_1_digits32_pc.onnx"
printf '%s\n' "$want" >"$stamp"
echo "compressed fixtures written to $out" >&2
