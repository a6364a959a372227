import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomBytes, randomVectors } from '../random-vectors.js';
import { DistanceKernels } from './distance-kernels.js';
import { bfloat16ToNumber, float32ToBfloat16Bits } from './reference/bfloat16.js';
import { float16ToNumber, float32ToFloat16Bits } from './reference/float16.js';

const kernels = DistanceKernels.load();
const ALL_16_BIT = Uint16Array.from({ length: 0x10000 }, (_, bits) => bits);

function isHalfNaN(bits: number): boolean {
  return (bits & 0x7c00) === 0x7c00 && (bits & 0x3ff) !== 0;
}

function isBfloatNaN(bits: number): boolean {
  return (bits & 0x7f80) === 0x7f80 && (bits & 0x7f) !== 0;
}

/** Float32 inputs around every float16: the value, the midpoints to its neighbours, and one float32 step either side of each midpoint. */
function float16Probes(): Float32Array {
  const probes: number[] = [];
  const step = new Float32Array(1);
  const stepBits = new Uint32Array(step.buffer);
  const nudge = (value: number, ulps: number): number => {
    step[0] = value;
    stepBits[0]! += ulps;
    return step[0]!;
  };
  for (let bits = 0; bits < 0x7c00; bits++) {
    for (const sign of [1, -1]) {
      const value = sign * float16ToNumber(bits);
      const midpoint = sign * ((float16ToNumber(bits) + float16ToNumber(bits + 1)) / 2);
      probes.push(value, midpoint, nudge(midpoint, 1), nudge(midpoint, -1));
    }
  }
  probes.push(Infinity, -Infinity, Number.NaN, 1e30, -1e30, 3.4e38);
  return Float32Array.from(probes);
}

test('float16 -> float32 is exact for all 65,536 bit patterns', () => {
  const got = kernels.float16ToFloat32(ALL_16_BIT);
  for (let bits = 0; bits < 0x10000; bits++) {
    const expected = float16ToNumber(bits);
    if (isHalfNaN(bits)) assert.ok(Number.isNaN(got[bits]!), `0x${bits.toString(16)}`);
    else assert.ok(Object.is(got[bits], expected), `0x${bits.toString(16)}: ${got[bits]} vs ${expected}`);
  }
});

test('float32 -> float16 rounds to nearest even at every float16 value and midpoint', () => {
  const probes = float16Probes();
  const got = kernels.float32ToFloat16(probes);
  for (let i = 0; i < probes.length; i++) {
    const expected = float32ToFloat16Bits(probes[i]!);
    if (Number.isNaN(probes[i]!)) assert.ok(isHalfNaN(got[i]!), 'NaN stays NaN');
    else
      assert.equal(got[i], expected, `${probes[i]}: 0x${got[i]!.toString(16)} vs 0x${expected.toString(16)}`);
  }
});

test('float32 -> float16 and bfloat16 agree with the reference on random float32 bit patterns', () => {
  const bits = new Uint32Array(randomBytes(5, 4 * 200_000).buffer);
  const values = new Float32Array(bits.buffer);
  const half = kernels.float32ToFloat16(values);
  const bfloat = kernels.float32ToBfloat16(values);
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (Number.isNaN(value)) {
      assert.ok(isHalfNaN(half[i]!) && isBfloatNaN(bfloat[i]!), `NaN 0x${bits[i]!.toString(16)}`);
      continue;
    }
    assert.equal(half[i], float32ToFloat16Bits(value), `float16 of 0x${bits[i]!.toString(16)}`);
    assert.equal(bfloat[i], float32ToBfloat16Bits(value), `bfloat16 of 0x${bits[i]!.toString(16)}`);
  }
});

test('bfloat16 -> float32 is exact for all 65,536 bit patterns, and ties round to even', () => {
  const got = kernels.bfloat16ToFloat32(ALL_16_BIT);
  for (let bits = 0; bits < 0x10000; bits++) {
    if (isBfloatNaN(bits)) assert.ok(Number.isNaN(got[bits]!));
    else assert.ok(Object.is(got[bits], bfloat16ToNumber(bits)), `0x${bits.toString(16)}`);
  }
  // Exact ties and their neighbours for every bfloat16 below Infinity.
  const tieBits = new Uint32Array(3 * 0x7f80 * 2);
  let n = 0;
  for (let upper = 0; upper < 0x7f80; upper++) {
    for (const sign of [0, 0x80000000]) {
      const tie = (sign | (upper << 16) | 0x8000) >>> 0;
      tieBits[n++] = tie;
      tieBits[n++] = tie - 1;
      tieBits[n++] = tie + 1;
    }
  }
  const ties = new Float32Array(tieBits.buffer);
  const rounded = kernels.float32ToBfloat16(ties);
  for (let i = 0; i < ties.length; i++) {
    assert.equal(rounded[i], float32ToBfloat16Bits(ties[i]!), `0x${tieBits[i]!.toString(16)}`);
  }
});

test('bulk conversion handles every length around the SIMD width and the chunk size', () => {
  for (const length of [0, 1, 7, 8, 9, 15, 17, 300_001]) {
    const values = randomVectors(length, length);
    const half = kernels.float32ToFloat16(values);
    const back = kernels.float16ToFloat32(half);
    const bfloat = kernels.float32ToBfloat16(values);
    const bfloatBack = kernels.bfloat16ToFloat32(bfloat);
    for (let i = 0; i < length; i++) {
      assert.equal(half[i], float32ToFloat16Bits(values[i]!));
      assert.equal(back[i], float16ToNumber(half[i]!));
      assert.equal(bfloat[i], float32ToBfloat16Bits(values[i]!));
      assert.equal(bfloatBack[i], bfloat16ToNumber(bfloat[i]!));
    }
  }
  assert.throws(() => kernels.float16ToFloat32(new Uint16Array(4), new Float32Array(3)), RangeError);
});

test('float16 and bfloat16 vectors stored resident scan like their float32 conversion', () => {
  const dim = 19;
  const values = randomVectors(91, 500 * dim);
  const queries = randomVectors(92, 3 * dim);
  for (const [store, encode, decode] of [
    [
      kernels.storeFloat16.bind(kernels),
      kernels.float32ToFloat16.bind(kernels),
      kernels.float16ToFloat32.bind(kernels),
    ],
    [
      kernels.storeBfloat16.bind(kernels),
      kernels.float32ToBfloat16.bind(kernels),
      kernels.bfloat16ToFloat32.bind(kernels),
    ],
  ] as const) {
    const bits = encode(values);
    const resident = store(bits, dim);
    const decoded = decode(bits);
    assert.deepEqual(kernels.memory.float32(resident.ptr, values.length), decoded);
    for (const metric of ['L2', 'IP', 'COSINE'] as const) {
      assert.deepEqual(
        kernels.topK({ metric, queries, base: resident, dim, k: 10 }),
        kernels.topK({ metric, queries, base: decoded, dim, k: 10 }),
      );
    }
    kernels.release(resident);
  }
});
