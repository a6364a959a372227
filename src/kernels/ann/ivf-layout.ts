import { METRIC_CODES } from '../distance/metric.js';
import { IVF_TYPE_CODES } from './ivf-params.js';
import { align64 } from './kmeans.js';

/**
 * Where each part of an IVF index lives inside its one KernelMemory region, as byte offsets from the
 * region start (so a serialised region is position independent). Computed from the handle's numbers
 * alone. Every section is 64-byte aligned; unused sections have size 0.
 *
 *   centroids    nlist x dim float32 (COSINE: unit length), or nlist packed binary rows
 *   listStarts   nlist + 1 int32: list l holds list positions [listStarts[l], listStarts[l + 1])
 *   rowIds       rows int32: the original row of each list position (ascending within a list)
 *   payload      per list position: the float32 row (IVF_FLAT), the packed row (BIN_IVF_FLAT),
 *                dim uint8 codes (IVF_SQ8) or m uint8 PQ codes (IVF_PQ)
 *   invNorms     IVF_FLAT + COSINE: the rows' inverse norms in list order (copied from the vectors)
 *   sq8Min/Scale IVF_SQ8: dim float32 each
 *   codebooks    IVF_PQ: m x 2^nbits x (dim / m) float32
 */
export interface IvfLayout {
  rowBytes: number;
  centroids: number;
  listStarts: number;
  rowIds: number;
  payload: number;
  invNorms: number;
  sq8Min: number;
  sq8Scale: number;
  codebooks: number;
  sizeBytes: number;
}

export interface IvfShape {
  typeCode: number;
  metricCode: number;
  dim: number;
  rows: number;
  nlist: number;
  m: number;
  nbits: number;
}

export function ivfLayout(shape: IvfShape): IvfLayout {
  const { typeCode, metricCode, dim, rows, nlist, m, nbits } = shape;
  const binary = typeCode === IVF_TYPE_CODES.BIN_IVF_FLAT;
  const rowBytes = binary ? Math.ceil(dim / 8) : dim * 4;
  let at = 0;
  const take = (bytes: number) => {
    const offset = at;
    at += align64(bytes);
    return offset;
  };
  const centroids = take(nlist * rowBytes);
  const listStarts = take((nlist + 1) * 4);
  const rowIds = take(rows * 4);
  let payloadBytes = rows * rowBytes;
  if (typeCode === IVF_TYPE_CODES.IVF_SQ8) payloadBytes = rows * dim;
  if (typeCode === IVF_TYPE_CODES.IVF_PQ) payloadBytes = rows * m;
  const payload = take(payloadBytes);
  const cosineFlat = typeCode === IVF_TYPE_CODES.IVF_FLAT && metricCode === METRIC_CODES.COSINE;
  const invNorms = take(cosineFlat ? rows * 4 : 0);
  const sq8 = typeCode === IVF_TYPE_CODES.IVF_SQ8;
  const sq8Min = take(sq8 ? dim * 4 : 0);
  const sq8Scale = take(sq8 ? dim * 4 : 0);
  const codebooks = take(typeCode === IVF_TYPE_CODES.IVF_PQ ? (1 << nbits) * dim * 4 : 0);
  return {
    rowBytes,
    centroids,
    listStarts,
    rowIds,
    payload,
    invNorms,
    sq8Min,
    sq8Scale,
    codebooks,
    sizeBytes: at,
  };
}
