import { readFileSync, writeFileSync } from "node:fs";
import { writeNewWorkbook } from "./src/cli/xlsx/writeReport";
const lines = readFileSync("/tmp/rf/orders200k.csv", "utf8").trim().split("\n").slice(1);
const rows = lines.map((l) => { const [c, d, v] = l.split(","); return [c, Date.UTC(+d.slice(0,4), +d.slice(5,7)-1, +d.slice(8,10)) / 86400000 + 25569, Number(v)]; });
const { bytes } = await writeNewWorkbook([{ name: "Orders", headers: ["customer_id", "order_date", "order_value"], rows, numberFormats: [null, "yyyy-mm-dd", "0.00"] }], []);
writeFileSync("/tmp/rf/orders200k.xlsx", bytes);
