// The IVF index family's entry points (IVF_FLAT, IVF_SQ8, IVF_PQ, BIN_IVF_FLAT), re-exported by
// kernels.as. Centroid assignment and probing reuse topKF32 / topKBinary (k = 1 / k = nprobe).
export { ivfFlatScanF32, ivfFlatScanBinary, ivfFlatWorkBytes } from './ivf-flat-scan';
export { ivfSq8Scan, ivfSq8WorkBytes, sq8EncodeRows } from './ivf-sq8';
export { ivfPqScan, ivfPqWorkBytes, pqEncodeRows } from './ivf-pq';
export { ivfRerankF32 } from './ivf-rerank';
