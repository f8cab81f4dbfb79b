#!/usr/bin/env bash
# Reruns the command examples shown in the documentation and compares their output.
#
# Usage: scripts/check_docs.sh [--bin PATH/TO/squeezec] [FILE.md ...]
#   Default files: README.md and docs/*.md. Default binary: $SQUEEZEC_BIN, else .build/release/squeezec.
#
# What is checked: every fenced block whose info string is exactly `console`. In it, a line starting with
# `$ ` is a command (a line ending in `\` continues on the next one); the lines after it, up to the next
# command or the end of the block, are its expected standard output. Blocks with any other info string
# (```sh, ```text, ```c, no info string) are not run.
#
# How a command runs: with bash, `squeezec` on the PATH being the binary under test, in a scratch folder
# (one per documentation file, shared by its blocks in order) that holds links to the repository's
# top-level entries, so `Samples/sample224.npy` and `Tests/Fixtures/...` resolve and `-o out` writes into
# the scratch folder. Only standard output is compared; write `2>&1` in the shown command to show standard
# error too. A command must exit 0 (show a failing one as `...; echo "exit status $?"`).
#
# Markers in expected output (documented in docs/tests.md):
#   a line that is exactly `...` (indentation allowed)  stands for any number of lines (zero or more);
#   `…` (U+2026) inside a line                          stands for any text within that line.
# Trailing spaces are ignored on both sides.
#
# Exit status 0 when every example matches; 1 naming file:line of the first differing expected line
# (or of the command) for each example that does not; 2 on bad usage.
set -uo pipefail
export LC_ALL=C

root=$(cd "$(dirname "$0")/.." && pwd)
bin=${SQUEEZEC_BIN:-$root/.build/release/squeezec}
files=()
while (($#)); do
  case $1 in
    --bin) bin=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "check_docs: unknown option $1" >&2; exit 2 ;;
    *) files+=("$1"); shift ;;
  esac
done
if ((${#files[@]} == 0)); then
  files=("$root/README.md")
  for f in "$root"/docs/*.md; do [[ -e $f ]] && files+=("$f"); done
fi
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
if [[ ! -x $bin ]]; then
  echo "check_docs: no squeezec binary at $bin (swift build -c release --product squeezec, or --bin PATH)" >&2
  exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/check_docs.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin"
ln -s "$bin" "$work/bin/squeezec"
export PATH="$work/bin:$PATH"

# Compares expected (with markers) against actual output; prints the first difference and exits 1.
# Expected lines come with their line numbers in the documentation file ("NUMBER<TAB>TEXT").
compare() {
  awk -v expected_file="$1" -v actual_file="$2" '
    function rstrip(s) { sub(/[ \t\r]+$/, "", s); return s }
    function skip_line(s) { return s ~ /^[ \t]*\.\.\.$/ }
    # Does text match pattern, where "…" in pattern stands for any text?
    function matches(pattern, text,    n, parts, i, at, pos) {
      n = split(pattern, parts, "…")
      if (n == 1) return pattern == text
      if (substr(text, 1, length(parts[1])) != parts[1]) return 0
      pos = length(parts[1]) + 1
      for (i = 2; i < n; i++) {
        at = index(substr(text, pos), parts[i])
        if (at == 0) return 0
        pos += at - 1 + length(parts[i])
      }
      if (length(text) - pos + 1 < length(parts[n])) return 0
      return substr(text, length(text) - length(parts[n]) + 1) == parts[n]
    }
    BEGIN {
      ne = 0
      while ((getline line < expected_file) > 0) {
        tab = index(line, "\t"); ne++
        enumber[ne] = substr(line, 1, tab - 1); etext[ne] = rstrip(substr(line, tab + 1))
      }
      na = 0
      while ((getline line < actual_file) > 0) atext[++na] = rstrip(line)
      i = 1; j = 1
      while (i <= ne) {
        if (skip_line(etext[i])) {
          i++
          if (i > ne) exit 0                       # "..." at the end: any rest
          while (j <= na && !(matches(etext[i], atext[j]))) j++
          if (j > na) { report(i, "(no line matching it after the skipped lines)"); exit 1 }
          i++; j++; continue
        }
        if (j > na) { report(i, "(end of output)"); exit 1 }
        if (!matches(etext[i], atext[j])) { report(i, atext[j]); exit 1 }
        i++; j++
      }
      if (j <= na) { report(0, atext[j]); exit 1 }
    }
    function report(i, got) {
      if (i > 0) printf "%s\texpected: %s\n\tgot:      %s\n", enumber[i], etext[i], got
      else printf "%s\texpected: (end of output)\n\tgot:      %s\n", enumber[ne] + 1, got
    }
  '
}

# Runs the pending example (command, command_line, $work/expected) and reports a difference.
run_example() {
  [[ -n $command ]] || return 0
  examples=$((examples + 1))
  (cd "$scratch" && timeout 300 bash -c "$command" < /dev/null > "$work/actual" 2> "$work/stderr")
  local status=$?
  local difference
  if ((status != 0)); then
    echo "$display:$command_line: command exited with status $status: \$ $command" >&2
    sed 's/^/\t/' "$work/stderr" | head -n 5 >&2
    failures=$((failures + 1))
  elif ! difference=$(compare "$work/expected" "$work/actual"); then
    echo "$display:${difference%%$'\t'*}: output of \`$command\` (line $command_line) differs:" >&2
    printf '\t%s\n' "${difference#*$'\t'}" >&2
    failures=$((failures + 1))
  fi
  command=""; : > "$work/expected"
}

failures=0
examples=0
for file in "${files[@]}"; do
  [[ -f $file ]] || { echo "check_docs: no such file $file" >&2; exit 2; }
  display=${file#"$root"/}
  scratch="$work/run.$RANDOM$RANDOM"
  mkdir -p "$scratch"
  for entry in "$root"/*; do ln -s "$entry" "$scratch/$(basename "$entry")"; done

  # Split the file into examples: a command, its first line number, its expected lines.
  in_block=0; command=""; command_line=0; continuing=0
  : > "$work/expected"
  number=0
  while IFS= read -r line || [[ -n $line ]]; do
    number=$((number + 1))
    if ((in_block == 0)); then
      [[ $line == '```console' ]] && in_block=1
      continue
    fi
    if [[ $line == '```'* ]]; then
      run_example; in_block=0; continue
    fi
    if ((continuing)); then
      command+=$'\n'"$line"
      [[ $line == *'\' ]] || continuing=0
      continue
    fi
    if [[ $line == '$ '* ]]; then
      run_example
      command=${line#'$ '}; command_line=$number
      [[ $line == *'\' ]] && continuing=1
      continue
    fi
    if [[ -z $command ]]; then
      [[ -n $line ]] && { echo "$display:$number: output line before any \`\$ \` command in a console block" >&2; failures=$((failures + 1)); }
      continue
    fi
    printf '%s\t%s\n' "$number" "$line" >> "$work/expected"
  done < "$file"
  ((in_block)) && { echo "$display: unterminated \`\`\`console block" >&2; failures=$((failures + 1)); }
  rm -rf "$scratch"
done

if ((failures)); then
  echo "check_docs: $failures of $examples examples differ" >&2
  exit 1
fi
echo "check_docs: $examples examples match (${#files[@]} files)"
