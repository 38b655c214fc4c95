#!/usr/bin/env bash
# manpage.sh BINARY: prints monarch(1), made from the --help text of the binary and of each
# of its commands, so that the manual never says other than the binary does.
set -euo pipefail
bin="$1"
commands=$("$bin" --help | awk '/^SUBCOMMANDS:/{on=1; next} on && /^  [a-z]/{print $1}' | grep -v '^print-worker$' || true)
escape() { sed -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\\&'/"; }
echo '.TH MONARCH 1'
echo '.SH NAME'
echo 'monarch \- build multilingual resource sites from Markdown'
echo '.SH SYNOPSIS'
echo '.nf'
"$bin" --help | awk '/^USAGE:/{sub(/^USAGE: */, ""); print; exit}' | escape
echo '.fi'
echo '.SH DESCRIPTION'
echo '.nf'
"$bin" --help | escape
echo '.fi'
for c in $commands; do
  echo ".SH \"MONARCH ${c^^}\""
  echo '.nf'
  "$bin" "$c" --help | escape
  echo '.fi'
done
