#!/usr/bin/env bash
# Regenerates the synthetic speech fixtures (espeak-ng + sox, both from Debian's packages).
# Two synthetic "speakers" (a low-pitched US-English male voice, a high-pitched US-English female
# voice), three short sentences each, 16 kHz mono 16-bit FLAC. No recording of a real person.
set -euo pipefail
cd "$(dirname "$0")"
sentences=(
  "Please confirm that you are applying for this car lease in your own name."
  "My phone number and my bank card belong to me and to nobody else."
  "I would like to finance a used sedan for thirty six months."
)
voices=("speaker_a:en-us+m3:35:150" "speaker_b:en-us+f2:90:170")
tmp=$(mktemp -d)
for spec in "${voices[@]}"; do
  IFS=: read -r name voice pitch speed <<<"$spec"
  for i in 0 1 2; do
    espeak-ng -v "$voice" -p "$pitch" -s "$speed" -w "$tmp/raw.wav" "${sentences[$i]}"
    sox "$tmp/raw.wav" -r 16000 -c 1 -b 16 "${name}_${i}.flac" gain -3
  done
done
rm -r "$tmp"
