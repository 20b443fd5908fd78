/**
 * mulberry32: a small seeded PRNG, so a fuzz test sees the same inputs on every run and a failure reproduces.
 * `rnd(n)` is an integer in [0, n). (scripts/fuzz/mutate.mjs carries the same generator for the plain-node fuzzer.)
 */
export function prng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}
