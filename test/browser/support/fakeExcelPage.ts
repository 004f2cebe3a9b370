/**
 * What the wizards' browser test injects into the page (bundled with esbuild as the global
 * `FakeExcelKit`): the recording fake Excel and the sample business's sheets, generated in the page
 * so that the 20,000-customer workbook is not sent through the test's init script as JSON.
 */
export { installFakeExcel, patchOfficeRequirements } from "../../support/fakeExcel";
export { sampleSheets } from "../../support/reportSheets";
