import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createTextDigest, hmacSha256, sha256, toHex, utf8Bytes } from "../../../src/engine/privacy/sha256";

const ascii = (text: string) => utf8Bytes(text);

describe("sha256: FIPS 180-4 / NIST test vectors", () => {
  it('"abc" (one block)', () => {
    expect(toHex(sha256(ascii("abc")))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it('"" (empty message)', () => {
    expect(toHex(sha256(ascii("")))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("the 448-bit message (two blocks)", () => {
    expect(toHex(sha256(ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")))).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
  });

  it("one million 'a' (many blocks)", () => {
    expect(toHex(sha256(new Uint8Array(1_000_000).fill(0x61)))).toBe("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  });

  it("padding boundaries at 55, 56 and 64 bytes (Python hashlib)", () => {
    expect(toHex(sha256(new Uint8Array(55).fill(0x61)))).toBe("9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    expect(toHex(sha256(new Uint8Array(56).fill(0x61)))).toBe("b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    expect(toHex(sha256(new Uint8Array(64).fill(0x61)))).toBe("ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
  });
});

describe("utf8Bytes", () => {
  it("encodes like TextEncoder, surrogate pairs included", () => {
    for (const text of ["", "abc", "Zoë 日本 😀", "\u0080\u07ff\u0800\uffff", "\ud83d"]) {
      expect(Array.from(utf8Bytes(text))).toEqual(Array.from(new TextEncoder().encode(text)));
    }
  });

  it("non-ASCII text hashes as Python's hashlib over UTF-8", () => {
    expect(toHex(sha256(utf8Bytes("Zoë 日本 😀")))).toBe("8ac938f4ba6de939bce22a4ef9c501e72ea3e789c2296bce21e2aba5a9cc9405");
  });
});

describe("hmacSha256: RFC 4231 test cases", () => {
  it("test case 1 (key 0x0b × 20, \"Hi There\")", () => {
    expect(toHex(hmacSha256(new Uint8Array(20).fill(0x0b), ascii("Hi There")))).toBe(
      "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
    );
  });

  it('test case 2 (key "Jefe")', () => {
    expect(toHex(hmacSha256(ascii("Jefe"), ascii("what do ya want for nothing?")))).toBe(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
  });

  it("test case 6 (a 131-byte key, hashed first)", () => {
    expect(toHex(hmacSha256(new Uint8Array(131).fill(0xaa), ascii("Test Using Larger Than Block-Size Key - Hash Key First")))).toBe(
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
    );
  });
});

describe("createTextDigest (the fast path IMC.MASK uses)", () => {
  it("gives the leading digits of SHA-256 / HMAC-SHA-256 over UTF-8", () => {
    expect(createTextDigest(null, 64)("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(createTextDigest(utf8Bytes("Jefe"), 16)("what do ya want for nothing?")).toBe("5bdcc146bf60754e");
    expect(createTextDigest(null, 64)("Zoë 日本 😀")).toBe("8ac938f4ba6de939bce22a4ef9c501e72ea3e789c2296bce21e2aba5a9cc9405");
  });

  it("property: equals the one-shot functions for any text, short or several blocks long", () => {
    const plain = createTextDigest(null, 64);
    const keyed = createTextDigest(utf8Bytes("salt"), 64);
    fc.assert(
      fc.property(fc.string({ maxLength: 200, unit: "binary" }), (text) => {
        const bytes = utf8Bytes(text);
        return plain(text) === toHex(sha256(bytes)) && keyed(text) === toHex(hmacSha256(utf8Bytes("salt"), bytes));
      }),
      { seed: 17, numRuns: 300 },
    );
  });
});
