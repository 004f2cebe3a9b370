/**
 * A text file as the CSV readers see it: decoded from UTF-8, or from UTF-16 (what Excel's "Unicode
 * Text" and some exports write: told by its byte-order mark, or by the zero bytes of ASCII in UTF-16
 * without one), and decompressed first when it is gzip (orders.csv.gz). Without this, a UTF-16 file
 * reads as text with a zero byte between letters ("o r d e r _ d a t e") and a gzip file as binary.
 */

import { closeSync, createReadStream, openSync, readSync } from "node:fs";
import { constants, createGunzip, gunzipSync } from "node:zlib";
import { CliError } from "../errors";

/** How a text file is stored. */
export interface TextFormat {
  /** The file is gzip-compressed. */
  readonly gzip: boolean;
  readonly encoding: "utf-8" | "utf-16le" | "utf-16be";
}

/** Bytes read to tell the format. */
const SNIFF_BYTES = 4096;

/** The first `bytes` bytes of a file (fewer when it is shorter). */
function firstBytes(file: string, bytes: number): Buffer {
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(bytes);
    const read = readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** Whether bytes start gzip's magic number. */
const isGzip = (bytes: Uint8Array): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/** A gzip file's first bytes decompressed (as far as they go). */
function gunzipPrefix(bytes: Uint8Array): Buffer {
  try {
    return gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH });
  } catch {
    return Buffer.alloc(0);
  }
}

/**
 * The encoding of text bytes: UTF-16 by its byte-order mark, or when most of the first 200 bytes'
 * even (little-endian) or odd (big-endian) bytes are zero, as ASCII in UTF-16 is; else UTF-8.
 */
function encodingOf(bytes: Uint8Array): TextFormat["encoding"] {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  const n = Math.min(bytes.length, 200) & ~1;
  if (n < 8) return "utf-8";
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > 0.6 * pairs && evenZero === 0) return "utf-16le";
  if (evenZero > 0.6 * pairs && oddZero === 0) return "utf-16be";
  return "utf-8";
}

/**
 * How a file is stored.
 *
 * @param file path of the file.
 * @throws the file system's error when it cannot be read.
 */
export function textFormatOf(file: string): TextFormat {
  const head = firstBytes(file, SNIFF_BYTES);
  if (!isGzip(head)) return { gzip: false, encoding: encodingOf(head) };
  return { gzip: true, encoding: encodingOf(gunzipPrefix(head)) };
}

/**
 * The first bytes of a file as text (decompressed and decoded), without a byte-order mark.
 *
 * @param file path of the file.
 * @param bytes how many bytes of the file (compressed) to read at most.
 * @throws the file system's error when the file cannot be opened or read.
 */
export function textHead(file: string, bytes: number): string {
  const raw = firstBytes(file, bytes);
  const plain = isGzip(raw) ? gunzipPrefix(raw) : raw;
  const decoder = new TextDecoder(encodingOf(plain));
  // A cut character at the end is dropped (stream mode keeps it back), not turned into U+FFFD.
  return decoder.decode(plain, { stream: true }).replace(/^\uFEFF/, "");
}

/**
 * The file's text in pieces, decompressed and decoded as {@link textFormatOf} tells.
 *
 * @param file path of the file.
 * @param display the file as the user named it, for messages.
 * @param chunkBytes bytes read at a time.
 * @returns the pieces; a byte-order mark at the start is left to the reader (the CSV parser drops it).
 * @throws the file system's error (with its `syscall`) when it cannot be read; CliError for damaged gzip data.
 */
export async function* textChunks(file: string, display: string, chunkBytes: number): AsyncGenerator<string> {
  const format = textFormatOf(file);
  const stream = createReadStream(file, { highWaterMark: chunkBytes });
  const source: AsyncIterable<Buffer> = format.gzip ? stream.pipe(createGunzip({ chunkSize: chunkBytes })) : stream;
  // ignoreBOM: the mark is kept as U+FEFF, which the readers drop, as for UTF-8 files.
  const decoder = new TextDecoder(format.encoding, { ignoreBOM: true });
  try {
    try {
      for await (const chunk of source) {
        const text = decoder.decode(chunk, { stream: true });
        if (text !== "") yield text;
      }
    } catch (error) {
      const code = typeof error === "object" && error !== null && "code" in error ? String((error as { code: unknown }).code) : "";
      if (format.gzip && code.startsWith("Z_")) throw new CliError(`cannot read it: its gzip data is damaged or cut short (${(error as Error).message})`, { file: display });
      throw error;
    }
    const rest = decoder.decode();
    if (rest !== "") yield rest;
  } finally {
    stream.destroy();
  }
}
