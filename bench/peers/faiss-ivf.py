#!/usr/bin/env python3
"""faiss IndexIVFFlat peer for bench/ann-ivf.ts, driven over stdin/stdout one command per line so the
bench can interleave its Quiver and faiss measurements in one run. Single thread (OpenMP 1).

Commands (each answered by one JSON line):
  load <dir> <dim> <k>            base.f32, queries.f32 (float32 row-major), truth.i32 (k ids per query)
  build <nlist> <niter> <seed>    IndexIVFFlat(IndexFlatL2) trained and filled; build time, memory
  search <nprobe>                 recall@k over all queries (one batched call), then nq = 1 QPS
  quit
Prints {"error": "faiss not available"} and exits when faiss cannot be imported.
"""
import json
import os
import sys
import time

try:
    import faiss
    import numpy as np
except ImportError as error:
    print(json.dumps({"error": "faiss not available", "detail": str(error)}), flush=True)
    sys.exit(0)

faiss.omp_set_num_threads(1)
state = {}


def answer(value):
    print(json.dumps(value), flush=True)


def load(directory, dim, k):
    state["xb"] = np.fromfile(os.path.join(directory, "base.f32"), dtype="float32").reshape(-1, dim)
    state["xq"] = np.fromfile(os.path.join(directory, "queries.f32"), dtype="float32").reshape(-1, dim)
    state["truth"] = np.fromfile(os.path.join(directory, "truth.i32"), dtype="int32").reshape(-1, k)
    state["k"] = k
    # Debian's build reports "OPTIMIZE GENERIC" (no AVX2 kernels), which matters when reading its speed.
    options = faiss.get_compile_options() if hasattr(faiss, "get_compile_options") else "unknown"
    answer({"version": faiss.__version__, "compileOptions": options, "rows": len(state["xb"]), "queries": len(state["xq"])})


def build(nlist, niter, seed):
    xb = state["xb"]
    dim = xb.shape[1]
    started = time.perf_counter()
    quantizer = faiss.IndexFlatL2(dim)
    index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_L2)
    index.cp.niter = niter
    index.cp.seed = seed
    index.train(xb)
    index.add(xb)
    build_ms = (time.perf_counter() - started) * 1000
    state["index"] = index
    state["quantizer"] = quantizer
    # Codes (the vectors) + int64 ids in the lists + the centroids.
    memory = index.ntotal * (index.code_size + 8) + nlist * dim * 4
    answer({"buildMs": build_ms, "memoryBytes": memory})


def search(nprobe):
    index = state["index"]
    xq = state["xq"]
    k = state["k"]
    index.nprobe = nprobe
    _, ids = index.search(xq, k)
    truth = state["truth"]
    hits = sum(len(set(ids[q]) & set(truth[q])) for q in range(len(xq)))
    recall = hits / (len(xq) * k)
    started = time.perf_counter()
    for q in range(len(xq)):
        index.search(xq[q : q + 1], k)
    elapsed = time.perf_counter() - started
    answer({"recall": recall, "qps": len(xq) / elapsed})


for line in sys.stdin:
    words = line.split()
    if not words:
        continue
    if words[0] == "load":
        load(words[1], int(words[2]), int(words[3]))
    elif words[0] == "build":
        build(int(words[1]), int(words[2]), int(words[3]))
    elif words[0] == "search":
        search(int(words[1]))
    elif words[0] == "quit":
        break
    else:
        answer({"error": "unknown command " + words[0]})
