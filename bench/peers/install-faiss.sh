#!/bin/sh
# Installs Debian's faiss Python bindings, used only by bench/ann-ivf.ts as the peer (bench/peers/faiss-ivf.py).
# Not needed by Quiver itself or by any test. Needs root (or sudo) and apt.
set -eu
SUDO=''
if [ "$(id -u)" != 0 ]; then SUDO='sudo'; fi
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends python3-faiss python3-numpy
# Debian's package installs into the system interpreter, which a pyenv/venv python3 on PATH may hide;
# bench/ann-ivf.ts tries $FAISS_PYTHON, /usr/bin/python3, then python3.
/usr/bin/python3 -c 'import faiss; print("faiss", faiss.__version__)'
