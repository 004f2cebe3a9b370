import { afterEach, describe, expect, it, vi } from "vitest";
import { whenOfficeReady } from "../../src/excel/office";

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("whenOfficeReady", () => {
  it("reports the host from Office.onReady and that Excel is available", async () => {
    // office.js defines HostType / PlatformType values as strings.
    const onReady = vi.fn(async () => ({ host: "Excel", platform: "PC" }));
    vi.stubGlobal("Office", { onReady });
    vi.stubGlobal("Excel", { run: vi.fn() });

    await expect(whenOfficeReady()).resolves.toEqual({ host: "Excel", excelAvailable: true });
    expect(onReady).toHaveBeenCalledTimes(1);
  });

  it("reports host null and no Excel when office.js runs outside Office", async () => {
    vi.stubGlobal("Office", { onReady: async () => ({ host: null, platform: null }) });

    await expect(whenOfficeReady()).resolves.toEqual({ host: null, excelAvailable: false });
  });

  it("reports a non-Excel host without the Excel API", async () => {
    vi.stubGlobal("Office", { onReady: async () => ({ host: "Word", platform: "PC" }) });

    await expect(whenOfficeReady()).resolves.toEqual({ host: "Word", excelAvailable: false });
  });

  it("resolves host null and no Excel when there is no Office global at all", async () => {
    expect(typeof (globalThis as { Office?: unknown }).Office).toBe("undefined");

    await expect(whenOfficeReady()).resolves.toEqual({ host: null, excelAvailable: false });
  });
});
