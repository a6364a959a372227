import { seededRandom } from './seeded-random.js';

/**
 * Deterministic vector data for kernel tests and benchmarks. `integers` draws whole numbers in
 * [-8, 8], which makes every float32 sum the kernels form exact (so WASM and reference agree to the
 * bit and ties are real ties); otherwise values are uniform in [-1, 1).
 */
export function randomVectors(
  seed: number,
  length: number,
  options: { integers?: boolean } = {},
): Float32Array {
  const random = seededRandom(seed);
  const values = new Float32Array(length);
  if (options.integers) {
    for (let i = 0; i < length; i++) values[i] = Math.floor(random() * 17) - 8;
  } else {
    for (let i = 0; i < length; i++) values[i] = random() * 2 - 1;
  }
  return values;
}

/** Deterministic random bytes (packed binary vectors, bitsets). */
export function randomBytes(seed: number, length: number): Uint8Array {
  const random = seededRandom(seed);
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(random() * 256);
  return bytes;
}
