/**
 * The parts of a zip package (an .xlsx), read within bounds: the central directory is parsed here
 * and only the parts asked for are inflated, each one capped, and all of them together capped.
 *
 * Why not JSZip: it inflates a part whole before anything can look at its size, so a 6 MB zip bomb
 * became gigabytes of memory (and a V8 abort) before "corrupt zip" could be said. Here the size the
 * central directory declares is checked first, and inflation stops at that size (never past the
 * caps): a part that inflates further than it declares is refused after at most that many bytes.
 *
 * Entry names are never trusted: a name with a ".." segment, a leading "/" or "\", a backslash or a
 * drive letter can never be looked up (relationship targets are resolved inside the package, see
 * readWorkbook's resolveTarget), and nothing is ever written to disk from an entry name.
 *
 * Only the inflater is Node's ({@link nodeInflateRaw}); it is a parameter, so a browser can pass its
 * own and the rest stays plain TypeScript on Uint8Array and DataView.
 */
import { inflateRawSync } from "node:zlib";
import { byteSize, XlsxError } from "./xlsxError";

/** How far parts may inflate. */
export interface InflateLimits {
  /** Bytes one part may inflate to (its XML, before decoding). */
  readonly partBytes: number;
  /** Bytes all the parts read from one package may inflate to together. */
  readonly totalBytes: number;
}

/** 256 MB per part, 1 GB in total: far above any real workbook's XML, far below what breaks the process. */
export const DEFAULT_INFLATE_LIMITS: InflateLimits = { partBytes: 256 * 2 ** 20, totalBytes: 2 ** 30 };

/**
 * Inflates raw deflate data, stopping once the output would exceed `maxBytes`.
 * @returns the bytes, or null when the output would be longer than `maxBytes`
 * @throws Error when the data is not a valid deflate stream (or stops short)
 */
export type InflateRaw = (compressed: Uint8Array, maxBytes: number) => Uint8Array | null;

/** Node's zlib as {@link InflateRaw}: one output buffer of `maxBytes` + 1 bytes, never more. */
export const nodeInflateRaw: InflateRaw = (compressed, maxBytes) => {
  try {
    // One chunk as large as the part may be (the caller has capped it): one allocation, and no
    // second copy concatenating chunks, so a part costs its size once.
    return inflateRawSync(compressed, { maxOutputLength: Math.max(1, maxBytes), chunkSize: Math.max(64, maxBytes + 1) });
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") return null;
    throw error;
  }
};

interface Entry {
  readonly name: string;
  readonly flags: number;
  readonly method: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly localHeaderAt: number;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const ZIP64_END_LOCATOR = 0x07064b50;
const ZIP64_END = 0x06064b50;
const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

/** An entry name that could point outside the package if it were ever used as a path. */
function untrustedName(name: string): boolean {
  return name.startsWith("/") || name.includes("\\") || name.includes("\0") || /^[A-Za-z]:/.test(name) || name.split("/").some((segment) => segment === ".." || segment === ".");
}

/** A zip package whose parts are read on demand, within {@link InflateLimits}. */
export class ZipPackage {
  private readonly byName = new Map<string, Entry>();
  private readonly byLowerName = new Map<string, Entry>();
  private inflatedBytes = 0;

  private constructor(
    private readonly bytes: Uint8Array,
    private readonly label: string,
    private readonly limits: InflateLimits,
    private readonly inflate: InflateRaw,
    entries: readonly Entry[],
  ) {
    for (const entry of entries) {
      if (untrustedName(entry.name) || this.byName.has(entry.name)) continue;
      this.byName.set(entry.name, entry);
      const lower = entry.name.toLowerCase();
      if (!this.byLowerName.has(lower)) this.byLowerName.set(lower, entry);
    }
  }

  /**
   * Reads the central directory of a zip (zip64 too). Nothing is inflated yet.
   * @param label how the file is named in messages (its path)
   * @throws XlsxError "… is not a valid .xlsx file (corrupt zip: …)" when the directory is missing, cut short or inconsistent
   */
  static open(bytes: Uint8Array, label: string, limits: InflateLimits = DEFAULT_INFLATE_LIMITS, inflate: InflateRaw = nodeInflateRaw): ZipPackage {
    return new ZipPackage(bytes, label, limits, inflate, centralDirectory(bytes, label));
  }

  /** The names of the entries that can be read (untrusted names left out), in directory order. */
  names(): string[] {
    return [...this.byName.keys()];
  }

  /** Whether a part exists (names compare case-insensitively, as in Open Packaging). */
  has(path: string): boolean {
    return this.entry(path) !== undefined;
  }

  private entry(path: string): Entry | undefined {
    return this.byName.get(path) ?? this.byLowerName.get(path.toLowerCase());
  }

  /**
   * A part's bytes, inflated within the limits.
   * @returns undefined when there is no such part
   * @throws XlsxError naming the part when it is too large, damaged, encrypted or compressed in a way zip readers do not all support
   */
  partBytes(path: string): Uint8Array | undefined {
    const entry = this.entry(path);
    if (!entry) return undefined;
    const { label, limits } = this;
    const refused = (why: string): XlsxError => new XlsxError(`${label}: part ${entry.name} ${why}; the file is refused`);
    const corrupt = (why: string): XlsxError => new XlsxError(`${label} is not a valid .xlsx file (corrupt zip: part ${entry.name} ${why})`);
    if (entry.flags & 0x0001) throw new XlsxError(`${label} is not a valid .xlsx file (part ${entry.name} is encrypted)`);
    if (entry.uncompressedSize > limits.partBytes) throw refused(`inflates past ${byteSize(limits.partBytes)}`);
    if (this.inflatedBytes + entry.uncompressedSize > limits.totalBytes) {
      throw new XlsxError(`${label}: the parts needed inflate past ${byteSize(limits.totalBytes)} in total (at part ${entry.name}); the file is refused`);
    }
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    const at = entry.localHeaderAt;
    if (at + 30 > view.byteLength || view.getUint32(at, true) !== LOCAL_HEADER) throw corrupt("has no local header");
    const dataAt = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
    if (dataAt + entry.compressedSize > view.byteLength) throw corrupt("is cut short");
    const compressed = this.bytes.subarray(dataAt, dataAt + entry.compressedSize);
    let out: Uint8Array | null;
    if (entry.method === 0) out = compressed.length <= entry.uncompressedSize ? compressed : null;
    else if (entry.method === 8) {
      try {
        out = this.inflate(compressed, entry.uncompressedSize);
      } catch {
        throw corrupt("is damaged");
      }
    } else throw new XlsxError(`${label} is not a valid .xlsx file (part ${entry.name} uses compression method ${entry.method}; save the file again in Excel)`);
    if (out === null) throw refused(`inflates past the ${byteSize(entry.uncompressedSize)} its zip entry declares`);
    if (out.length !== entry.uncompressedSize) throw corrupt("is shorter than its zip entry declares");
    this.inflatedBytes += out.length;
    return out;
  }

  /**
   * A part's text (UTF-8, or UTF-16 with a byte order mark), inflated within the limits.
   * @returns undefined when there is no such part
   * @throws XlsxError as {@link partBytes}
   */
  text(path: string): string | undefined {
    const bytes = this.partBytes(path);
    if (bytes === undefined) return undefined;
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes);
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes);
    return new TextDecoder("utf-8").decode(bytes);
  }
}

/** The entries listed by the central directory, every offset and size checked against the file. */
function centralDirectory(bytes: Uint8Array, label: string): Entry[] {
  const corrupt = (why: string): XlsxError => new XlsxError(`${label} is not a valid .xlsx file (corrupt zip: ${why})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let endAt = -1;
  // The end record is the last 22 bytes, or fewer than 64 KB before the end when a comment follows it.
  for (let i = view.byteLength - 22; i >= Math.max(0, view.byteLength - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === END_OF_CENTRAL_DIRECTORY) {
      endAt = i;
      break;
    }
  }
  if (endAt < 0) throw corrupt("its end is missing; the file may be cut short");
  let count = view.getUint16(endAt + 10, true);
  let size = view.getUint32(endAt + 12, true);
  let offset = view.getUint32(endAt + 16, true);
  if (view.getUint16(endAt + 4, true) !== 0 || view.getUint16(endAt + 6, true) !== 0) throw corrupt("it spans several disks");
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    const locatorAt = endAt - 20;
    if (locatorAt < 0 || view.getUint32(locatorAt, true) !== ZIP64_END_LOCATOR) throw corrupt("its zip64 directory is missing");
    const zip64At = Number(view.getBigUint64(locatorAt + 8, true));
    if (zip64At + 56 > locatorAt || view.getUint32(zip64At, true) !== ZIP64_END) throw corrupt("its zip64 directory is damaged");
    count = Number(view.getBigUint64(zip64At + 32, true));
    size = Number(view.getBigUint64(zip64At + 40, true));
    offset = Number(view.getBigUint64(zip64At + 48, true));
  }
  if (offset + size > endAt) throw corrupt("its directory lies outside the file");
  // Each directory record takes at least 46 bytes: a count the directory cannot hold is a lie.
  if (count * 46 > size) throw corrupt("its directory is shorter than its entry count");
  const decoder = new TextDecoder("utf-8");
  const entries: Entry[] = [];
  let at = offset;
  const directoryEnd = offset + size;
  for (let n = 0; n < count; n++) {
    if (at + 46 > directoryEnd || view.getUint32(at, true) !== CENTRAL_HEADER) throw corrupt("its directory is damaged");
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    let compressedSize = view.getUint32(at + 20, true);
    let uncompressedSize = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    let localHeaderAt = view.getUint32(at + 42, true);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > directoryEnd) throw corrupt("its directory is damaged");
    const nameBytes = bytes.subarray(at + 46, at + 46 + nameLength);
    const name = flags & 0x0800 ? decoder.decode(nameBytes) : String.fromCharCode(...nameBytes);
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff || localHeaderAt === 0xffffffff) {
      // Zip64: the real values follow in the extra field 0x0001, in this order, only for the fields marked 0xffffffff.
      let extraAt = at + 46 + nameLength;
      const extraEnd = extraAt + extraLength;
      let found = false;
      while (extraAt + 4 <= extraEnd) {
        const id = view.getUint16(extraAt, true);
        const length = view.getUint16(extraAt + 2, true);
        if (extraAt + 4 + length > extraEnd) break;
        if (id === 0x0001) {
          let field = extraAt + 4;
          const read = (): number => {
            if (field + 8 > extraAt + 4 + length) throw corrupt(`the zip64 sizes of ${name} are damaged`);
            const value = Number(view.getBigUint64(field, true));
            field += 8;
            return value;
          };
          if (uncompressedSize === 0xffffffff) uncompressedSize = read();
          if (compressedSize === 0xffffffff) compressedSize = read();
          if (localHeaderAt === 0xffffffff) localHeaderAt = read();
          found = true;
          break;
        }
        extraAt += 4 + length;
      }
      if (!found) throw corrupt(`the zip64 sizes of ${name} are missing`);
    }
    if (localHeaderAt + 30 + compressedSize > offset) throw corrupt(`part ${name} lies outside the file`);
    entries.push({ name, flags, method, compressedSize, uncompressedSize, localHeaderAt });
    at = next;
  }
  return entries;
}
