import { describe, expect, it } from "vitest";
import { frameSystemTitle, hasP1Key, keyForSystemTitle } from "../src/index.js";

const STREAM_KEY = new Uint8Array(16).fill(1);
const METER_KEY = new Uint8Array(16).fill(2);
const TITLE = "5341476770012345";

describe("the decoder's key lookup", () => {
  it("reads the system title from bytes 2…10 of an encrypted frame", () => {
    const frame = Buffer.concat([Buffer.from([0xdb, 0x08]), Buffer.from(TITLE, "hex"), Buffer.from([0x82, 0x01])]);
    expect(frameSystemTitle(frame)).toBe(TITLE);
  });

  it("takes a meter's own key before the stream's key, and the stream's key for other meters", () => {
    const options = { key: STREAM_KEY, keysBySystemTitle: new Map([[TITLE, METER_KEY]]) };
    expect(keyForSystemTitle(TITLE, options)).toBe(METER_KEY);
    expect(keyForSystemTitle("0000000000000000", options)).toBe(STREAM_KEY);
    expect(keyForSystemTitle(TITLE, { keysBySystemTitle: new Map() })).toBeUndefined();
  });

  it("says whether any key is configured", () => {
    expect(hasP1Key({})).toBe(false);
    expect(hasP1Key({ keysBySystemTitle: new Map() })).toBe(false);
    expect(hasP1Key({ key: STREAM_KEY })).toBe(true);
    expect(hasP1Key({ keysBySystemTitle: new Map([[TITLE, METER_KEY]]) })).toBe(true);
  });
});
