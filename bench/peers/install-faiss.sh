#!/bin/sh
# Installs Debian's faiss Python bindings, used only by bench/ann-ivf.ts as the peer (bench/peers/faiss-ivf.py).
# Not needed by Quiver itself or by any test. Needs root (or sudo) and apt.
set -eu
SUDO=''
if [ "$(id -u)" != 0 ]; then SUDO='sudo'; fi
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends python3-faiss python3-numpy
python3 -c 'import faiss; print("faiss", faiss.__version__)'
