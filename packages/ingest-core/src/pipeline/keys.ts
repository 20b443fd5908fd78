/**
 * P1 keys. Each Smarty meter has its own 16-byte GUEK (Luxmetering P1 spec v1.1.3 §3.3), asked from the grid
 * operator. One key serves a single meter; on a shared bus `SMARTY_KEYS` maps system titles (the 8 bytes after
 * `DB 08` in every frame) to keys. Error messages name the entry, never its content.
 */

const HEX_KEY = /^[0-9a-fA-F]{32}$/;
const HEX_TITLE = /^[0-9a-fA-F]{16}$/;

export class KeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KeyError";
  }
}

/** One key: 32 hex digits (spaces and colons allowed between byte pairs, as operators print them). */
export function parseP1Key(text: string): Buffer {
  const t = text.replace(/[\s:]/g, "");
  if (!HEX_KEY.test(t)) throw new KeyError(`must be 32 hexadecimal digits (16 bytes), got ${t.length} characters`);
  return Buffer.from(t, "hex");
}

/**
 * `SMARTY_KEYS=<system title hex>:<key hex>,…`. System titles are 16 hex digits (8 bytes); the map is keyed in lower
 * case, as `decodeFrame` looks them up.
 */
export function parseKeyList(text: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const entries = text
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  entries.forEach((entry, i) => {
    const colon = entry.indexOf(":");
    const title = colon < 0 ? "" : entry.slice(0, colon).trim();
    if (!HEX_TITLE.test(title)) {
      throw new KeyError(`entry ${i + 1} must start with a 16-hex-digit system title and ':'`);
    }
    try {
      out.set(title.toLowerCase(), parseP1Key(entry.slice(colon + 1)));
    } catch (err) {
      throw new KeyError(`entry ${i + 1}: key ${(err as Error).message}`);
    }
  });
  return out;
}
