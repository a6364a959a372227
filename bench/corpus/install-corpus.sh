#!/usr/bin/env bash
# Installs the English benchmark corpus: Debian's wordnet-base (WordNet 3.0 database files under
# /usr/share/wordnet, 117,659 synsets with glosses). Idempotent; needs root (or sudo) for apt-get.
# The corpus itself is never committed: bench/corpus/english-corpus.ts reads the installed files.
set -euo pipefail

if [ -f /usr/share/wordnet/data.noun ]; then
  echo "wordnet-base already installed: $(dpkg-query -W -f='${Version}' wordnet-base 2>/dev/null || echo unknown)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends wordnet-base
echo "installed wordnet-base $(dpkg-query -W -f='${Version}' wordnet-base)"
