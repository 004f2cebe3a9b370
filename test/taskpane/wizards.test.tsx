/**
 * The wizards, driven by role and label as a user would, against a fake workbook holding the
 * sample business. happy-dom has no Worker, so the engine runs in-process (the same pipeline).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import type { SheetCells } from "../../src/reports/detect";
import { App } from "../../src/taskpane/App";
import { createEngine } from "../../src/taskpane/worker/client";
import { FakeWorkbook, sampleSheets } from "./fakeWorkbook";

// Each test fits models on a small sample business: seconds in happy-dom.
vi.setConfig({ testTimeout: 60_000 });

afterEach(() => {
  cleanup();
});

const NOW = new Date("2026-12-06T04:00:00.000Z");
const SHEETS = sampleSheets();

function renderApp(workbook: FakeWorkbook) {
  return render(
    <FluentProvider theme={webLightTheme}>
      <App workbook={workbook} host="Excel" now={() => NOW} />
    </FluentProvider>,
  );
}

/** Waits for the data step to have read and inspected the workbook. */
async function dataStep(): Promise<void> {
  await screen.findByRole("heading", { level: 2, name: "Data" });
  await waitFor(() => expect(screen.queryByText(/reading|finding the tables/i)).toBeNull(), { timeout: 30_000 });
}

async function start(user: ReturnType<typeof userEvent.setup>, title: string): Promise<void> {
  await user.click(screen.getByRole("button", { name: `Start the ${title} wizard` }));
  await dataStep();
}

async function finish(): Promise<HTMLElement> {
  return screen.findByRole("heading", { level: 2, name: "Done" }, { timeout: 30_000 });
}

function selectedText(select: HTMLElement): string {
  const element = select as HTMLSelectElement;
  return element.options[element.selectedIndex]?.text ?? "";
}

describe("Customer Value wizard", () => {
  it("shows the orders found with their columns, a preview and the counts, then generates the tab and shows its headline", async () => {
    const user = userEvent.setup();
    const workbook = new FakeWorkbook(SHEETS);
    renderApp(workbook);
    await start(user, "Customer Value");

    const orders = screen.getByRole("region", { name: "Orders" });
    expect(selectedText(within(orders).getByRole("combobox", { name: "Orders sheet" }))).toBe("Found: Orders");
    expect(selectedText(within(orders).getByRole("combobox", { name: "Customer id column" }))).toBe("customer_id");
    expect(selectedText(within(orders).getByRole("combobox", { name: "Order date column" }))).toBe("order_date");
    expect(selectedText(within(orders).getByRole("combobox", { name: "Order value column" }))).toBe("order_value");
    const rowCount = SHEETS.find((sheet) => sheet.name === "Orders")!.rows.length - 1;
    expect(within(orders).getByText(`${rowCount.toLocaleString("en-US")} rows read · 0 rows skipped · 0 rows refused`)).toBeTruthy();
    const preview = within(orders).getByRole("table");
    expect(within(preview).getAllByRole("columnheader").map((cell) => cell.textContent)).toEqual(["customer_id", "order_date", "order_value"]);
    // Dates as read: serials shown as dates.
    expect(within(preview).getAllByRole("row")[1].textContent).toMatch(/\d{4}-\d\d-\d\d/);

    await user.click(screen.getByRole("button", { name: "Next" }));
    await screen.findByRole("heading", { level: 2, name: "Options" });
    expect(screen.getByRole("combobox", { name: "Purchase model" })).toBeTruthy();
    const horizon = screen.getByRole("textbox", { name: "Horizon" });
    await user.clear(horizon);
    await user.type(horizon, "26");
    await user.click(screen.getByRole("button", { name: "Generate" }));

    await finish();
    expect(workbook.written.map((entry) => entry.name)).toEqual(["Customer Value"]);
    expect(workbook.activated).toEqual(["Customer Value"]);
    const sheet = workbook.written[0].sheet;
    expect(sheet.provenance.generatedAt).toBe(NOW.toISOString());
    expect(JSON.stringify(sheet.provenance.options)).toContain("26");
    // The headline numbers: the rows under "At a glance" of the tab, numbers as formatted there.
    const headline = screen.getByLabelText("At a glance: Customer Value");
    expect(headline.querySelector("dt")?.textContent).toMatch(/total clv/i);
    const labels = [...headline.querySelectorAll("dt")].map((term) => term.textContent);
    expect(labels.length).toBeGreaterThanOrEqual(3);
    expect(headline.querySelector("dd")?.textContent).toMatch(/\d/);
    expect(screen.getByRole("status").textContent).toContain("“Customer Value” is now the active sheet");
  });

  it("lists a tab shortened to fit a sheet on the Done step, with the line the tab carries", async () => {
    const user = userEvent.setup();
    const workbook = new FakeWorkbook(SHEETS);
    // Over a million customers do not fit a test: the real engine's result, with the entry a shortened tab gets.
    const note = "The table lists the first 1,048,500 of 1,200,000 customers by CLV; the summaries count every customer.";
    const engineFactory = () => {
      const engine = createEngine({ createWorker: null });
      return { ...engine, build: async (...args: Parameters<typeof engine.build>) => ({ ...(await engine.build(...args)), shortened: [{ tab: "customer-value" as const, title: "Customer Value", note }] }) };
    };
    render(
      <FluentProvider theme={webLightTheme}>
        <App workbook={workbook} host="Excel" now={() => NOW} engineFactory={engineFactory} />
      </FluentProvider>,
    );
    await start(user, "Customer Value");
    await user.click(screen.getByRole("button", { name: "Next" }));
    await user.click(await screen.findByRole("button", { name: "Generate" }));
    await finish();
    const section = screen.getByRole("region", { name: "Shortened to fit a sheet" });
    expect(section.textContent).toContain(`The Customer Value tab: ${note}`);
  });

  it("names the column and row of a date column holding text, in the data step and when generating", async () => {
    const user = userEvent.setup();
    const sheets: SheetCells[] = SHEETS.map((sheet) =>
      sheet.name !== "Orders" ? sheet : { ...sheet, rows: sheet.rows.map((row, i) => (i === 0 ? ["order_id", "customer_id", "Purchase date", "order_value"] : [row[0], row[1], i === 1 ? "next week" : "soon", row[3]])) },
    );
    const workbook = new FakeWorkbook(sheets);
    renderApp(workbook);
    await start(user, "Customer Value");

    const orders = screen.getByRole("region", { name: "Orders" });
    const refused = within(orders).getByText(/rows cannot be read/);
    const bar = refused.closest("[role=group]") as HTMLElement;
    expect(bar.textContent).toContain('row 2, Purchase date: "next week" is not a date');
    expect(bar.textContent).toContain('row 3, Purchase date: "soon" is not a date');
    expect(within(orders).getByText(/0 rows skipped · [\d,]+ rows refused/)).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Next" }));
    await user.click(await screen.findByRole("button", { name: "Generate" }));

    const failure = await screen.findByText(/could not be generated/i, undefined, { timeout: 30_000 });
    const message = (failure.closest("[role=group]") as HTMLElement).textContent ?? "";
    expect(message).toContain('Sheet "Orders", row 2, column Purchase date (C)');
    expect(message).toContain('"next week" is not a date');
    expect(workbook.written).toHaveLength(0);
  });

  it("reads another column when the user picks it, and says what it cannot read", async () => {
    const user = userEvent.setup();
    const workbook = new FakeWorkbook(SHEETS);
    renderApp(workbook);
    await start(user, "Customer Value");

    const orders = screen.getByRole("region", { name: "Orders" });
    await user.selectOptions(within(orders).getByRole("combobox", { name: "Order value column" }), "order_id");
    await waitFor(() => expect(selectedText(within(screen.getByRole("region", { name: "Orders" })).getByRole("combobox", { name: "Order value column" }))).toBe("order_id"));
    await dataStep();
    const again = screen.getByRole("region", { name: "Orders" });
    expect(within(again).getByRole("combobox", { name: "Order value column" }).closest(".fui-Field")?.textContent).toMatch(/row 2, order_id: "O\d+" is not a number/);
  });

  it("cancels while writing and says nothing was written", async () => {
    const user = userEvent.setup();
    const workbook = new FakeWorkbook(SHEETS, { holdWrites: true });
    renderApp(workbook);
    await start(user, "Customer Value");
    await user.click(screen.getByRole("button", { name: "Next" }));
    await user.click(await screen.findByRole("button", { name: "Generate" }));

    await screen.findByText(/writing the customer value tab|customer value: writing/i, undefined, { timeout: 30_000 });
    expect(screen.getByRole("progressbar")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Cancel" }));

    const cancelled = await screen.findByText("Cancelled");
    expect((cancelled.closest("[role=group]") as HTMLElement).textContent).toContain("nothing was written");
    expect(workbook.written).toHaveLength(0);
    expect(workbook.activated).toHaveLength(0);
    expect(screen.getByRole("button", { name: "Try again" })).toBeTruthy();
  });
});

describe("All tabs: all or nothing across the tabs", () => {
  /** The order the wizard writes the tabs of the sample (the Scorecard last: its formulas refer to the others). */
  const ALL = ["Segmentation", "Customer Value", "Cohorts", "Lead Scoring", "Journey", "Attribution", "Campaign KPIs", "Experiments", "Budget", "Scorecard"];
  const quoted = (names: readonly string[]) => names.map((name) => `“${name}”`).join(", ");

  it("a tab that fails after others were written deletes the tabs of this run and says so", async () => {
    const user = userEvent.setup();
    const workbook = new FakeWorkbook(SHEETS, { failTab: "Attribution" });
    renderApp(workbook);
    await start(user, "All tabs");
    await user.click(screen.getByRole("button", { name: "Next" }));
    await user.click(await screen.findByRole("button", { name: "Generate" }));

    const title = await screen.findByText("The tabs could not be generated", undefined, { timeout: 30_000 });
    const text = (title.closest("[role=group]") as HTMLElement).textContent ?? "";
    expect(text).toContain("The Attribution tab could not be written (the workbook is protected).");
    const before = ALL.slice(0, ALL.indexOf("Attribution"));
    expect(text).toContain(`The tabs already written (${quoted(before)}) were deleted`);
    expect(workbook.deleted).toEqual([before]);
    expect(workbook.written).toEqual([]);
    expect(workbook.activated).toEqual([]);
    expect(screen.getByRole("button", { name: "Try again" })).toBeTruthy();
  });

  it("cancel after some tabs were written deletes them and says so", async () => {
    const user = userEvent.setup();
    const workbook = new FakeWorkbook(SHEETS, { holdWritesAfter: 3 });
    renderApp(workbook);
    await start(user, "All tabs");
    await user.click(screen.getByRole("button", { name: "Next" }));
    await user.click(await screen.findByRole("button", { name: "Generate" }));

    await screen.findByText(/writing the lead scoring tab|lead scoring: writing/i, undefined, { timeout: 30_000 });
    expect(workbook.written.map((entry) => entry.name)).toEqual(ALL.slice(0, 3));
    await user.click(screen.getByRole("button", { name: "Cancel" }));

    const cancelled = await screen.findByText("Cancelled");
    const text = (cancelled.closest("[role=group]") as HTMLElement).textContent ?? "";
    expect(text).toContain(`The tabs already written (${quoted(ALL.slice(0, 3))}) were deleted: nothing of this run is left in the workbook.`);
    expect(workbook.deleted).toEqual([ALL.slice(0, 3)]);
    expect(workbook.written).toEqual([]);
  });

  it("says which tabs are left when they cannot be deleted", async () => {
    const user = userEvent.setup();
    const workbook = new FakeWorkbook(SHEETS, { failTab: "Customer Value" });
    workbook.deleteSheets = async () => {
      throw new Error("The workbook is protected.");
    };
    renderApp(workbook);
    await start(user, "All tabs");
    await user.click(screen.getByRole("button", { name: "Next" }));
    await user.click(await screen.findByRole("button", { name: "Generate" }));

    const title = await screen.findByText("The tabs could not be generated", undefined, { timeout: 30_000 });
    expect((title.closest("[role=group]") as HTMLElement).textContent).toContain("The tab already written (“Segmentation”) could not be deleted (The workbook is protected.): delete it by hand.");
  });
});

describe("each wizard generates its tab", () => {
  const cases: readonly (readonly [string, readonly string[]])[] = [
    ["Segmentation", ["Segmentation"]],
    ["Attribution", ["Attribution"]],
    ["Campaign KPIs", ["Campaign KPIs"]],
    ["Budget", ["Budget"]],
    // The Scorecard first (written last, before the tabs it reads); Cohorts, Leads, Journey and
    // Experiments come in between when their builders and the data allow (not asserted here).
    ["All tabs", ["Scorecard", "Segmentation", "Customer Value", "Attribution", "Campaign KPIs", "Budget"]],
  ];
  for (const [title, tabs] of cases) {
    it(title, async () => {
      const user = userEvent.setup();
      const workbook = new FakeWorkbook(SHEETS);
      renderApp(workbook);
      await start(user, title);
      const next = screen.getByRole("button", { name: /^(Next|Generate)$/ });
      if (next.textContent === "Next") {
        await user.click(next);
        await screen.findByRole("heading", { level: 2, name: "Options" });
        await user.click(screen.getByRole("button", { name: "Generate" }));
      } else {
        await user.click(next);
      }
      await finish();
      const newer = ["Cohorts", "Lead Scoring", "Journey", "Experiments"];
      expect(workbook.written.map((entry) => entry.name).filter((name) => !newer.includes(name))).toEqual(tabs);
      expect(workbook.activated[0]).toBe(tabs[0]);
      const scorecard = workbook.written.find((entry) => entry.name === "Scorecard");
      if (scorecard) {
        // Written with the sheet names of every other tab of the run, for its cross-tab formulas.
        expect([...scorecard.tabNames!.values()].sort()).toEqual(workbook.written.filter((entry) => entry !== scorecard).map((entry) => entry.name).sort());
      }
      for (const tab of tabs) expect(screen.getByRole("heading", { level: 3, name: tab })).toBeTruthy();
    });
  }

  it("Segmentation masks personal data when asked, with the salt", async () => {
    const user = userEvent.setup();
    const workbook = new FakeWorkbook(SHEETS);
    renderApp(workbook);
    await start(user, "Segmentation");
    await user.click(screen.getByRole("button", { name: "Next" }));
    await user.selectOptions(await screen.findByRole("combobox", { name: "Personal data" }), "hash");
    await user.type(screen.getByRole("textbox", { name: "Salt" }), "pepper");
    await user.click(screen.getByRole("button", { name: "Generate" }));
    await finish();
    const customers = workbook.written[0].sheet.blocks.find((block) => block.kind === "table" && block.name === "SegmentCustomers");
    if (customers?.kind !== "table") throw new Error("no customer table on the Segmentation tab");
    const email = customers.headers.findIndex((header) => header.toLowerCase() === "email");
    // Asked for: the emails are shown, hashed (left out by default).
    expect(email).toBeGreaterThan(0);
    expect(String(customers.rows[0][email])).toMatch(/^h:[0-9a-f]+$/);
    expect(JSON.stringify(customers.rows)).not.toContain(String(SHEETS[0].rows[1][2]));
  });

  it("Budget without a spend table or CAC says what to enter", async () => {
    const user = userEvent.setup();
    const workbook = new FakeWorkbook(SHEETS.filter((sheet) => sheet.name === "Orders"));
    renderApp(workbook);
    await start(user, "Budget");
    await user.click(screen.getByRole("button", { name: "Next" }));
    await user.click(await screen.findByRole("button", { name: "Generate" }));
    const failure = await screen.findByText(/could not be generated/i, undefined, { timeout: 30_000 });
    expect((failure.closest("[role=group]") as HTMLElement).textContent).toMatch(/cost of acquiring a customer in the Options step/);

    await user.click(screen.getByRole("button", { name: "Back to the options" }));
    await user.type(await screen.findByRole("textbox", { name: "Cost of acquiring a customer" }), "40");
    await user.click(screen.getByRole("button", { name: "Generate" }));
    await finish();
    expect(workbook.written.map((entry) => entry.name)).toEqual(["Budget"]);
  });
});

describe("options step", () => {
  it("says what a field needs and keeps Generate disabled until it can be read", async () => {
    const user = userEvent.setup();
    renderApp(new FakeWorkbook(SHEETS));
    await start(user, "Attribution");
    await user.click(screen.getByRole("button", { name: "Next" }));
    const lookback = await screen.findByRole("textbox", { name: "Look-back window (days)" });
    expect(screen.getByText(/touches count for a conversion when at most this many days before it/i)).toBeTruthy();

    await user.clear(lookback);
    await user.type(lookback, "a month");
    expect(screen.getByText(/"a month" is not a number of days above 0, e\.g\. 30/)).toBeTruthy();
    expect((screen.getByRole("button", { name: "Generate" }) as HTMLButtonElement).disabled).toBe(true);

    await user.clear(lookback);
    await user.type(lookback, "14");
    expect((screen.getByRole("button", { name: "Generate" }) as HTMLButtonElement).disabled).toBe(false);
  });
});

describe("data step", () => {
  it("names the sheet, column and row when a column cannot be read at all", async () => {
    const user = userEvent.setup();
    const sheets: SheetCells[] = SHEETS.map((sheet) =>
      sheet.name !== "Orders" ? sheet : { ...sheet, rows: sheet.rows.map((row, i) => (i === 0 ? row : [row[0], row[1], i === 1 ? "31-02-2024" : i === 2 ? "05/03/2024" : row[2], row[3]])) },
    );
    renderApp(new FakeWorkbook(sheets));
    await start(user, "Customer Value");

    const orders = screen.getByRole("region", { name: "Orders" });
    const title = within(orders).getByText("This table cannot be read");
    expect((title.closest("[role=group]") as HTMLElement).textContent).toMatch(/Sheet "Orders", column order_date \(C\), row 2: "31-02-2024"/);
    // Beside the column's dropdown and in the list of refused rows.
    expect(within(orders).getAllByText(/row 2, order_date: "31-02-2024"/)).toHaveLength(2);
  });

  it("reads dates typed as text day first when the user says so", async () => {
    const user = userEvent.setup();
    const orders: SheetCells = {
      name: "Orders",
      rows: [
        ["customer_id", "order_date", "order_value"],
        ["a", "03/04/2024", 10],
        ["b", "05/06/2024", 20],
        ["a", "07/08/2024", 30],
      ],
    };
    renderApp(new FakeWorkbook([orders]));
    await start(user, "Customer Value");
    expect(within(screen.getByRole("region", { name: "Orders" })).getByText("This table cannot be read")).toBeTruthy();

    await user.selectOptions(screen.getByRole("combobox", { name: "Dates written as text" }), "dmy");
    await waitFor(() => expect(screen.queryByText("This table cannot be read")).toBeNull());
    await dataStep();
    const preview = within(screen.getByRole("region", { name: "Orders" })).getByRole("table");
    // 03/04/2024 day first is 3 April.
    expect(within(preview).getAllByRole("row")[1].textContent).toContain("2024-04-03");
  });

  it("says what is missing and keeps Next disabled", async () => {
    const user = userEvent.setup();
    const workbook = new FakeWorkbook(SHEETS.filter((sheet) => sheet.name === "Campaigns"));
    renderApp(workbook);
    await start(user, "Customer Value");

    expect(screen.getByText(/the customer value tab needs orders/i)).toBeTruthy();
    expect((screen.getByRole("button", { name: "Next" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("uses the selection as the orders table", async () => {
    const user = userEvent.setup();
    const orders = SHEETS.find((sheet) => sheet.name === "Orders")!;
    const selection: SheetCells = { name: "Data", rows: orders.rows.slice(0, 41), firstRow: 5, firstColumn: 2 };
    const workbook = new FakeWorkbook([...SHEETS.filter((sheet) => sheet.name !== "Orders"), { name: "Data", rows: [["notes"], ["nothing here"]] }], { selection });
    renderApp(workbook);
    await start(user, "Customer Value");

    await user.click(screen.getByRole("button", { name: "Use the selection as the orders table" }));
    await waitFor(() => expect(screen.getByText("40 rows read · 0 rows skipped · 0 rows refused")).toBeTruthy());
    expect(workbook.reads).toContainEqual({ kind: "selection" });
    expect(selectedText(screen.getByRole("combobox", { name: "Orders sheet" }))).toBe("Data");
  });

  it("goes back to the home view", async () => {
    const user = userEvent.setup();
    renderApp(new FakeWorkbook(SHEETS));
    await start(user, "Attribution");
    await user.click(screen.getByRole("button", { name: "Back to home" }));
    expect(await screen.findByRole("heading", { level: 2, name: "Generate tabs" })).toBeTruthy();
  });
});

/**
 * The next control in the page's tab order after the focused one (what Tab does in a browser):
 * user-event's own tab() does not get past the first button in happy-dom, so the order is walked
 * here with the same rule (focusable, not disabled, tabIndex ≥ 0, document order).
 */
function tabForward(): void {
  const tabbable = [...document.body.querySelectorAll<HTMLElement>("button, input, select, textarea, a[href], [tabindex]")].filter(
    (element) => element.tabIndex >= 0 && !(element as HTMLButtonElement).disabled && element.closest("[aria-hidden=true], [hidden]") === null,
  );
  const at = tabbable.indexOf(document.activeElement as HTMLElement);
  tabbable[(at + 1) % tabbable.length]?.focus();
}

describe("keyboard only", () => {
  it("completes the Campaign KPIs wizard with Tab and Enter", async () => {
    const user = userEvent.setup();
    const workbook = new FakeWorkbook(SHEETS);
    renderApp(workbook);

    /** Tabs forward until the button with this name has the focus, then presses Enter. */
    const press = async (name: string) => {
      const named = () => document.activeElement?.getAttribute("aria-label") === name || document.activeElement?.textContent === name;
      for (let i = 0; i < 300 && !named(); i++) tabForward();
      expect(document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.textContent).toBe(name);
      await user.keyboard("{Enter}");
    };

    await press("Start the Campaign KPIs wizard");
    await dataStep();
    await waitFor(() => expect((screen.getByRole("button", { name: "Generate" }) as HTMLButtonElement).disabled).toBe(false));
    await press("Generate");
    await finish();
    // The new step's heading has the focus, for keyboard and screen-reader users (moved there once
    // the step has rendered, which may be a tick after its text shows on a busy machine).
    await waitFor(() => expect(document.activeElement?.textContent).toBe("Done"));
    expect(workbook.written.map((entry) => entry.name)).toEqual(["Campaign KPIs"]);
    await press("Back to home");
    expect(await screen.findByRole("heading", { level: 2, name: "Generate tabs" })).toBeTruthy();
  });
});
