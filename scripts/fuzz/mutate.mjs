/**
 * Mutations of the fuzzer (scripts/fuzz.mjs), in the style of libFuzzer's: bit flips, byte changes, bytes that
 * matter to the P1 grammar, deletions, duplications, splices with another corpus input. Plaintext telegrams get
 * their CRC fixed half the time and Smarty frames are re-encrypted, so mutations also reach the parser behind the
 * CRC and the GCM tag.
 */

/** mulberry32: a small seeded PRNG; `rnd(n)` is an integer in [0, n). */
export function prng(seed) {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/** The fuzz key: the shared vectors' `AAAA…` key. */
export const KEY = Buffer.from("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "hex");

const TOKENS = [
  "/",
  "!",
  "(",
  ")",
  "*",
  ":",
  ".",
  "-",
  "\r\n",
  "\n",
  "S",
  "W",
  "0-1:24.2.1(",
  "0-1:24.3.0(",
  "0-1:24.2.3(",
  "1-1:1.8.1(",
  "0-0:98.1.0(",
  "1-0:1.6.0(",
  "1-0:99.97.0(",
  "632525252525W",
  "*kWh)",
  "*m3)",
  ")(",
  "(00001.001)\r\n",
  "999999999999999999",
].map((t) => Buffer.from(t, "latin1"));
const HEADER = Buffer.of(0xdb, 0x08, 0x53, 0x41, 0x47, 0x31, 0x32, 0x33, 0x34, 0x35, 0x82);

function once(input, corpus, rnd) {
  let b = input;
  const at = b.length === 0 ? 0 : rnd(b.length);
  switch (rnd(10)) {
    case 0:
    case 1: {
      b = Buffer.from(b);
      if (b.length > 0) b[at] ^= 1 << rnd(8);
      return b;
    }
    case 2: {
      b = Buffer.from(b);
      if (b.length > 0) b[at] = rnd(256);
      return b;
    }
    case 3:
    case 4:
      return Buffer.concat([b.subarray(0, at), TOKENS[rnd(TOKENS.length)], b.subarray(at)]);
    case 5:
      return Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + rnd(32))]);
    case 6: {
      const from = rnd(b.length + 1);
      return Buffer.concat([b.subarray(0, at), b.subarray(from, from + 1 + rnd(64)), b.subarray(at)]);
    }
    case 7: {
      const other = corpus[rnd(corpus.length)];
      const from = rnd(other.length + 1);
      return Buffer.concat([b.subarray(0, at), other.subarray(from, from + 1 + rnd(256)), b.subarray(at)]);
    }
    case 8:
      return b.subarray(0, at);
    default:
      return Buffer.concat([b.subarray(0, at), HEADER, b.subarray(at)]);
  }
}

/** A plaintext telegram with the CRC after its last `!` made right, so the parser reads it. */
function fixCrc(b, p1) {
  const bang = b.lastIndexOf(0x21);
  if (b[0] !== 0x2f || bang < 0) return b;
  const crc = Buffer.from(p1.formatCrc(p1.crc16(b, 0, bang + 1)), "latin1");
  return Buffer.concat([b.subarray(0, bang + 1), crc, Buffer.from("\r\n")]);
}

/** One to four mutations of `input`; `p1` is the codec (for the CRC and the encryption). */
export function mutate(input, corpus, rnd, p1) {
  let b = input;
  const ops = 1 + rnd(4);
  for (let k = 0; k < ops; k++) b = once(b, corpus, rnd);
  if (b[0] === 0x2f && rnd(2) === 0) return fixCrc(b, p1);
  if (b[0] === 0xdb && rnd(4) === 0) {
    // A valid frame around a mutated telegram: the decoder and the parser behind it see the mutation.
    for (let tries = 0; tries < 8; tries++) {
      const plain = corpus[rnd(corpus.length)];
      if (plain[0] !== 0x2f || plain.length > 8000) continue;
      const telegram = rnd(2) === 0 ? fixCrc(once(plain, corpus, rnd), p1) : once(plain, corpus, rnd);
      const systemTitle = b.length >= 10 ? b.subarray(2, 10) : Buffer.alloc(8);
      return p1.encryptTelegram(telegram, { key: KEY, systemTitle, frameCounter: rnd(2 ** 32) });
    }
  }
  return b;
}
