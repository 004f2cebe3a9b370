import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createMasker, isPhone, partialMask, REDACTED } from "../../../src/engine/privacy/mask";
import { engineErrorOf } from "../../support/engine";

describe("mask: hash", () => {
  it("is the first 16 hex digits of SHA-256 (Python hashlib), prefixed h:", () => {
    expect(createMasker("hash", null).mask("ann@example.com")).toBe("h:71d4f55f72fa128d");
  });

  it("with a salt it is HMAC-SHA-256 keyed by the salt (Python hmac)", () => {
    expect(createMasker("hash", "workbook-salt").mask("ann@example.com")).toBe("h:110d475447ca770f");
  });

  it("emails are compared without case; other text keeps its case", () => {
    const masker = createMasker("hash", null);
    expect(masker.mask("Ann@Example.COM")).toBe(masker.mask("ann@example.com"));
    expect(masker.mask("Ann")).not.toBe(masker.mask("ann"));
  });

  it("property: stable, different salts give different pseudonyms, and the value never shows", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 3, maxLength: 30 }), (text) => {
        fc.pre(text.trim() === text && text.length >= 3);
        const a = createMasker("hash", "one").mask(text);
        return (
          a === createMasker("hash", "one").mask(text) &&
          a !== createMasker("hash", "two").mask(text) &&
          /^h:[0-9a-f]{16}$/.test(a) &&
          !a.slice(2).includes(text)
        );
      }),
      { seed: 9, numRuns: 300 },
    );
  });
});

describe("mask: partial", () => {
  it("emails keep the first character and the domain", () => {
    expect(partialMask("ann.smith@example.com")).toBe("a***@example.com");
  });

  it("phone numbers keep their separators and the last 2 digits", () => {
    expect(partialMask("+1 (555) 123-4567")).toBe("+* (***) ***-**67");
    expect(partialMask("0712345678")).toBe("********78");
  });

  it("other text keeps its first character; the length is hidden", () => {
    expect(partialMask("John Smith")).toBe("J***");
    expect(partialMask("Jo")).toBe("J***");
    expect(partialMask("J")).toBe("***");
    expect(partialMask("😀 face")).toBe("😀***");
  });

  it("short digit strings are not phone numbers", () => {
    expect(isPhone("12345")).toBe(false);
    expect(isPhone("123-4567")).toBe(true);
    expect(partialMask("12345")).toBe("1***");
  });
});

describe("mask: redact and errors", () => {
  it("redact writes [redacted]", () => {
    expect(createMasker("redact", null).mask("anything")).toBe(REDACTED);
    expect(REDACTED).toBe("[redacted]");
  });

  it("an unknown mode is INVALID_INPUT", () => {
    const error = engineErrorOf(() => createMasker("scramble" as never, null));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.message).toBe("createMasker: mode must be one of hash, partial, redact, got scramble");
  });
});
