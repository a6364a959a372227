import { seededRandom } from '../seeded-random.js';

/**
 * Each row's top level, drawn as hnswlib does (floor(-ln(u) * mult), mult = 1 / ln(M)) but from the
 * seeded generator, so the same seed gives the same levels and, since insertion is sequential, the
 * same graph. u is in (0, 1], so the level is finite.
 */
export function hnswLevels(rows: number, m: number, seed: number): Int32Array {
  const random = seededRandom(seed);
  const mult = 1 / Math.log(m);
  const levels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) levels[i] = Math.floor(-Math.log(1 - random()) * mult);
  return levels;
}
