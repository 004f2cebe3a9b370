// IMC.CAC, IMC.RETENTION, IMC.CHURN, IMC.PAYBACK called exactly as Excel calls them.
import { beforeAll, describe, expect, it } from "vitest";
import { asExcelError, excelErrorOf, installCustomFunctionsStub } from "../support/customFunctions";

installCustomFunctionsStub();
let mod: typeof import("../../src/functions/unitEconomics");
beforeAll(async () => {
  mod = await import("../../src/functions/unitEconomics");
});

const col = (...values: unknown[]) => values.map((v) => [v]);

describe("IMC.CAC (domain.md §1.3)", () => {
  it("=IMC.CAC(50000, 400) → 125", () => {
    expect(mod.cac([[50000]], [[400]])).toEqual([[125]]);
  });

  it("element-wise by month", () => {
    expect(mod.cac(col(1000, 3000), col(10, 20))).toEqual([[100], [150]]);
  });

  it("zero new customers is a #VALUE! for that row only", () => {
    const result = mod.cac(col(1000, 3000), col(10, 0));
    expect(result[0][0]).toBe(100);
    expect(asExcelError(result[1][0]).message).toBe(
      "new_customers row 2: new customers is 0; CAC is spend per new customer, so it needs at least one",
    );
  });

  it("text, mismatched lengths and empty ranges", () => {
    expect(excelErrorOf(() => mod.cac([["lots"]], [[4]])).message).toBe('spend row 1: "lots" is not a number');
    expect(excelErrorOf(() => mod.cac(col(1, 2), col(1, 2, 3))).message).toMatch(/^new_customers has 3 rows but spend has 2/);
    const empty = excelErrorOf(() => mod.cac(col("", ""), col("", "")));
    expect(empty.code).toBe("#N/A");
    expect(empty.message).toBe("IMC.CAC: every row is blank; there is nothing to compute");
    expect(excelErrorOf(() => mod.cac([[""]], [[4]])).message).toBe("spend row 1: is blank; a number is required");
  });
});

describe("IMC.RETENTION and IMC.CHURN (domain.md §1.3: (E − N)/S)", () => {
  it("=IMC.RETENTION(1000, 1050, 200) → 0.85 and =IMC.CHURN(1000, 1050, 200) → 0.15", () => {
    expect(mod.retention([[1000]], [[1050]], [[200]])[0][0]).toBeCloseTo(0.85, 15);
    expect(mod.churn([[1000]], [[1050]], [[200]])[0][0]).toBeCloseTo(0.15, 15);
  });

  it("retention + churn = 1 cell by cell", () => {
    const start = col(100, 250, 80);
    const end = col(90, 260, 80);
    const fresh = col(5, 30, 0);
    const r = mod.retention(start, end, fresh);
    const c = mod.churn(start, end, fresh);
    for (let i = 0; i < 3; i++) expect((r[i][0] as number) + (c[i][0] as number)).toBeCloseTo(1, 15);
  });

  it("zero customers at the start is a #VALUE! naming customers_start", () => {
    const error = excelErrorOf(() => mod.retention([[0]], [[10]], [[10]]));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toBe(
      "customers_start row 1: customers at the start is 0; retention is a share of the starting customers, so it needs at least one",
    );
  });

  it("inconsistent counts name the argument", () => {
    expect(excelErrorOf(() => mod.churn([[100]], [[50]], [[80]])).message).toBe(
      "new_customers row 1: 80 new customers is more than the 50 customers at the end; check the columns",
    );
    expect(excelErrorOf(() => mod.retention([[100]], [[150]], [[10]])).message).toMatch(/^customers_end row 1: customers at the end minus new customers \(140\)/);
  });

  it("text in a range names its row", () => {
    const result = mod.retention(col(100, "x"), [[100]], [[0]]);
    expect(asExcelError(result[1][0]).message).toBe('customers_start row 2: "x" is not a number');
  });

  it("mismatched lengths and empty ranges", () => {
    expect(excelErrorOf(() => mod.churn(col(1, 2), col(1, 2), col(0, 0, 0))).message).toMatch(/^new_customers has 3 rows but customers_start has 2/);
    expect(excelErrorOf(() => mod.retention(col("", ""), col("", ""), col("", ""))).code).toBe("#N/A");
  });
});

describe("IMC.PAYBACK (domain.md §1.3: CAC / margin per period)", () => {
  it("=IMC.PAYBACK(125, 50) → 2.5", () => {
    expect(mod.payback([[125]], [[50]])).toEqual([[2.5]]);
  });

  it("a margin of 0 is a #VALUE! that says the cost is never paid back", () => {
    const error = excelErrorOf(() => mod.payback([[125]], [[0]]));
    expect(error.message).toBe(
      "margin_per_period row 1: margin per period is 0; with no positive margin the acquisition cost is never paid back",
    );
  });

  it("a negative CAC and text are refused", () => {
    expect(excelErrorOf(() => mod.payback([[-1]], [[5]])).message).toBe("cac row 1: CAC must be a number of at least 0, got -1");
    expect(excelErrorOf(() => mod.payback([[1]], [[true]])).message).toBe("margin_per_period row 1: TRUE is not a number");
    expect(excelErrorOf(() => mod.payback([["1,250"]], [[5]])).message).toMatch(/^cac row 1: "1,250" is not a number: it has a thousands separator/);
  });

  it("element-wise, with mismatched lengths and empty ranges refused", () => {
    expect(mod.payback(col(100, 300), [[50]])).toEqual([[2], [6]]);
    expect(excelErrorOf(() => mod.payback(col(1, 2), col(1, 2, 3))).message).toMatch(/^margin_per_period has 3 rows but cac has 2/);
    expect(excelErrorOf(() => mod.payback(col("", ""), col("", ""))).code).toBe("#N/A");
  });
});
