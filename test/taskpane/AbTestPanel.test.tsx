import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { AbTestPanel } from "../../src/taskpane/AbTestPanel";
import { FakeWorkbook } from "./fakeWorkbook";

vi.setConfig({ testTimeout: 30_000 });

afterEach(() => {
  cleanup();
});

function renderPanel(workbook: FakeWorkbook | undefined) {
  return render(
    <FluentProvider theme={webLightTheme}>
      <AbTestPanel workbook={workbook} />
    </FluentProvider>,
  );
}

async function replace(user: ReturnType<typeof userEvent.setup>, label: string, text: string): Promise<void> {
  const input = screen.getByRole("textbox", { name: label });
  await user.clear(input);
  if (text !== "") await user.type(input, text);
}

describe("A/B test panel", () => {
  it("shows the test of domain.md §6's example and updates it as you type", async () => {
    const user = userEvent.setup();
    renderPanel(undefined);

    const result = screen.getByRole("status", { name: "A/B test result" });
    expect(result.textContent).toContain("A converts 5.00%, B 5.90%");
    expect(result.textContent).toContain("p-value 0.0474");

    await replace(user, "Conversions B", "250");
    expect(result.textContent).toContain("B 5.00%");
    expect(result.textContent).toMatch(/p-value 1\b/);
  });

  it("names the field that cannot be used", async () => {
    const user = userEvent.setup();
    renderPanel(undefined);

    await replace(user, "Conversions A", "6000");
    expect(screen.getByText(/conversions of A \(6000\) cannot exceed its visitors \(5000\)/)).toBeTruthy();
    expect(screen.getByRole("textbox", { name: "Conversions A" }).getAttribute("aria-invalid")).toBe("true");

    await replace(user, "Visitors B", "lots");
    expect(screen.getByText(/"lots" is not a number/)).toBeTruthy();
  });

  it("gives the sample size of a planned test (8,155 per variant for 5% → 6%)", async () => {
    const user = userEvent.setup();
    renderPanel(undefined);
    expect(screen.getByRole("status", { name: "Sample size result" }).textContent).toBe("8,155 visitors per variant");
    await replace(user, "Expected rate", "5%");
    expect(screen.getByText(/expected rate must differ from the baseline rate/)).toBeTruthy();
  });

  it("inserts either as a formula and says where, beside the button", async () => {
    const user = userEvent.setup();
    const workbook = new FakeWorkbook([]);
    renderPanel(workbook);

    await replace(user, "Conversions B", "300");
    await user.click(screen.getByRole("button", { name: "Insert IMC.ABTEST" }));
    await replace(user, "Power", "0.9");
    await user.click(screen.getByRole("button", { name: "Insert IMC.SAMPLESIZE" }));

    expect(workbook.inserted).toEqual(["=IMC.ABTEST(250, 5000, 300, 5000)", "=IMC.SAMPLESIZE(0.05, 0.06, 0.95, 0.9)"]);
    expect(screen.getAllByText("Inserted in Sheet1!B2.")).toHaveLength(2);
  });

  it("disables Insert outside Excel and while the inputs cannot be used", async () => {
    const user = userEvent.setup();
    renderPanel(new FakeWorkbook([]));
    await replace(user, "Visitors A", "");
    expect((screen.getByRole("button", { name: "Insert IMC.ABTEST" }) as HTMLButtonElement).disabled).toBe(true);
    cleanup();
    renderPanel(undefined);
    expect((screen.getByRole("button", { name: "Insert IMC.SAMPLESIZE" }) as HTMLButtonElement).disabled).toBe(true);
  });
});
