// Metric codes shared by every kernel entry point. They must match METRIC_CODES in
// src/kernels/distance/metric.ts (the kernel tests exercise every code, so a mismatch fails them).
export const METRIC_L2: i32 = 0;
export const METRIC_IP: i32 = 1;
export const METRIC_COSINE: i32 = 2;
export const METRIC_HAMMING: i32 = 3;
export const METRIC_JACCARD: i32 = 4;
