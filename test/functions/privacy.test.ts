// IMC.MASK called exactly as Excel calls it.
import { beforeAll, describe, expect, it } from "vitest";
import { asExcelError, excelErrorOf, installCustomFunctionsStub } from "../support/customFunctions";

installCustomFunctionsStub();
let mod: typeof import("../../src/functions/privacy");
beforeAll(async () => {
  mod = await import("../../src/functions/privacy");
});

const col = (...values: unknown[]) => values.map((v) => [v]);

describe("IMC.MASK", () => {
  it('hash is the default: "h:" + 16 hex digits of SHA-256 (Python hashlib)', () => {
    expect(mod.mask([["ann@example.com"]])).toEqual([["h:71d4f55f72fa128d"]]);
    expect(mod.mask([["ann@example.com"]], [["hash"]])).toEqual([["h:71d4f55f72fa128d"]]);
  });

  it("a salt makes it an HMAC keyed by the salt (Python hmac)", () => {
    expect(mod.mask([["ann@example.com"]], [["hash"]], [["workbook-salt"]])).toEqual([["h:110d475447ca770f"]]);
  });

  it("a blank salt cell (0 on desktop Excel, blank on the web) means no salt", () => {
    expect(mod.mask([["ann@example.com"]], [["hash"]], [[0]])).toEqual([["h:71d4f55f72fa128d"]]);
    expect(mod.mask([["ann@example.com"]], [["hash"]], [[""]])).toEqual([["h:71d4f55f72fa128d"]]);
  });

  it("partial: email, phone, name; the shape of a 2-D range is kept and blanks stay blank", () => {
    const result = mod.mask(
      [
        ["ann@example.com", "+1 (555) 123-4567"],
        ["John Smith", ""],
        [5551234567, null],
      ],
      [["partial"]],
    );
    expect(result).toEqual([
      ["a***@example.com", "+* (***) ***-**67"],
      ["J***", ""],
      ["********67", ""],
    ]);
  });

  it("redact", () => {
    expect(mod.mask(col("Ann", "Bob"), [["redact"]])).toEqual([["[redacted]"], ["[redacted]"]]);
  });

  it("the same value gives the same pseudonym in every row", () => {
    const result = mod.mask(col("bob@x.org", "ann@x.org", "BOB@x.org"));
    expect(result[0][0]).toBe(result[2][0]);
    expect(result[0][0]).not.toBe(result[1][0]);
  });

  it("trailing blank rows are dropped", () => {
    expect(mod.mask(col("Ann", "", null), [["redact"]])).toHaveLength(1);
  });
});

describe("IMC.MASK bad input", () => {
  it("an unknown mode is #VALUE! listing the modes", () => {
    const error = excelErrorOf(() => mod.mask([["Ann"]], [["shred"]]));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toBe('mode: "shred" is not one of "hash", "partial", "redact"');
  });

  it("an error value in a cell is named by row and column; the other cells still mask", () => {
    const na = { type: "Error", basicType: "Error", errorType: "NotAvailable", basicValue: "#N/A" };
    const result = mod.mask([["Ann", na]], [["redact"]]);
    expect(result[0][0]).toBe("[redacted]");
    expect(asExcelError(result[0][1]).message).toBe("values row 1, column 2: is an error value (#N/A); fix the cell or leave the row out");
  });

  it("an all-blank range is #N/A; a salt range of several cells is #VALUE!", () => {
    const empty = excelErrorOf(() => mod.mask(col("", "")));
    expect(empty.code).toBe("#N/A");
    expect(empty.message).toBe("IMC.MASK: every cell is blank; there is nothing to mask");
    expect(excelErrorOf(() => mod.mask([["Ann"]], null as any, col("a", "b"))).message).toBe("salt: expected a single cell");
  });
});
