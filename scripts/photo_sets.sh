#!/usr/bin/env bash
# Writes the real photographs of scripts/sample_photos.py (skimage / sklearn
# sample images, nothing downloaded) into two folders for int8 work:
#   OUT/calibrate  8 photos for --calibrate
#   OUT/evaluate   the other photos, held out, for validate --input-dir
#
#   scripts/photo_sets.sh OUT
#
# Uses the repo's venv (scripts/venv.sh creates it). Deterministic.
set -euo pipefail
out="${1:?usage: scripts/photo_sets.sh OUT}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py="$("$root/scripts/venv.sh" | tail -n1)"
all="$out/all"
mkdir -p "$all" "$out/calibrate" "$out/evaluate"
"$py" "$root/scripts/sample_photos.py" "$all" >&2
calibrate=(astronaut chelsea coffee rocket china flower camera coins)
for f in "$all"/*.png; do
  name="$(basename "$f" .png)"
  if printf '%s\n' "${calibrate[@]}" | grep -qx "$name"; then
    cp "$f" "$out/calibrate/"
  else
    cp "$f" "$out/evaluate/"
  fi
done
echo "$(ls "$out/calibrate" | wc -l) calibration photos, $(ls "$out/evaluate" | wc -l) evaluation photos in $out" >&2
