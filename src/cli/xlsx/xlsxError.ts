/** A problem with an .xlsx file, with a one-line message naming the file. */
export class XlsxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "XlsxError";
  }
}

/** A byte count as people read it: "256 MB", "1 GB", "1.5 GB", "800 KB", "12 bytes" (1 MB = 1,048,576 bytes). */
export function byteSize(bytes: number): string {
  const units: [number, string][] = [
    [2 ** 30, "GB"],
    [2 ** 20, "MB"],
    [2 ** 10, "KB"],
  ];
  for (const [size, unit] of units) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1)).toLocaleString("en-US")} ${unit}`;
  }
  return `${bytes} bytes`;
}
