#!/usr/bin/env node
// Draws the IMC Analytics icon and writes it as PNG files into assets/:
//   icon-16.png, icon-32.png, icon-64.png, icon-80.png (ribbon / add-in icons declared in manifest.xml)
//   logo-filled.png (128 px, task pane header)
//
// Plain Node, no dependencies: shapes are rasterised with supersampling (anti-aliased edges) and the PNG
// is written by hand (zlib deflate + CRC32). Output is deterministic; the generated files are committed.
//
// Usage: node scripts/make-icons.mjs [outputDir]   (default: <repo>/assets)

import { deflateSync } from "node:zlib";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const TEAL = [0x0f, 0x6c, 0x73];
const WHITE = [0xff, 0xff, 0xff];

// ---------------------------------------------------------------------------------------------
// Geometry, in a unit square (0,0 top-left … 1,1 bottom-right).

/** Rounded square background. */
const BG = { x0: 0.02, y0: 0.02, x1: 0.98, y1: 0.98, r: 0.2 };

/** Three rising bars sharing a baseline. */
const BARS = [
  { x0: 0.18, x1: 0.32, y0: 0.58, y1: 0.8 },
  { x0: 0.43, x1: 0.57, y0: 0.46, y1: 0.8 },
  { x0: 0.68, x1: 0.82, y0: 0.36, y1: 0.8 },
];
const BAR_RADIUS = 0.025;

/** Upward arrowhead above the tallest bar (triangle: apex, base left, base right). */
const ARROW = [
  [0.75, 0.12],
  [0.62, 0.29],
  [0.88, 0.29],
];

function inRoundedRect(x, y, { x0, y0, x1, y1, r }) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  const dx = x - cx;
  const dy = y - cy;
  return dx * dx + dy * dy <= r * r;
}

function inTriangle(x, y, [a, b, c]) {
  const s = (p, q) => (x - q[0]) * (p[1] - q[1]) - (p[0] - q[0]) * (y - q[1]);
  const d1 = s(a, b);
  const d2 = s(b, c);
  const d3 = s(c, a);
  const neg = d1 < 0 || d2 < 0 || d3 < 0;
  const pos = d1 > 0 || d2 > 0 || d3 > 0;
  return !(neg && pos);
}

/** Colour (RGB) and alpha (0/1) of one sample point. */
function sample(x, y) {
  if (!inRoundedRect(x, y, BG)) return null;
  for (const bar of BARS) {
    if (inRoundedRect(x, y, { ...bar, r: BAR_RADIUS })) return WHITE;
  }
  if (inTriangle(x, y, ARROW)) return WHITE;
  return TEAL;
}

/**
 * Rasterises the icon at size×size with ss×ss samples per pixel.
 * Returns RGBA bytes (straight alpha).
 */
export function renderIcon(size, ss = 16) {
  const rgba = Buffer.alloc(size * size * 4);
  const n = ss * ss;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const c = sample((px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size);
          if (c) {
            r += c[0];
            g += c[1];
            b += c[2];
            a += 1;
          }
        }
      }
      const o = (py * size + px) * 4;
      if (a > 0) {
        // Average of covered samples = un-premultiplied colour; coverage = alpha.
        rgba[o] = Math.round(r / a);
        rgba[o + 1] = Math.round(g / a);
        rgba[o + 2] = Math.round(b / a);
        rgba[o + 3] = Math.round((255 * a) / n);
      }
    }
  }
  return rgba;
}

// ---------------------------------------------------------------------------------------------
// PNG encoding.

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(buf) {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([len, typeAndData, crc]);
}

/** Encodes straight-alpha RGBA bytes as an 8-bit RGBA PNG (filter type 0 on every row). */
export function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA
  ihdr[10] = 0; // compression
  ihdr[11] = 0; // filter method
  ihdr[12] = 0; // no interlace
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0;
    rgba.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------------------------------------

export const OUTPUTS = [
  { file: "icon-16.png", size: 16 },
  { file: "icon-32.png", size: 32 },
  { file: "icon-64.png", size: 64 },
  { file: "icon-80.png", size: 80 },
  { file: "logo-filled.png", size: 128 },
];

function main() {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const outDir = path.resolve(process.argv[2] ?? path.join(repoRoot, "assets"));
  mkdirSync(outDir, { recursive: true });
  for (const { file, size } of OUTPUTS) {
    const png = encodePng(size, size, renderIcon(size));
    writeFileSync(path.join(outDir, file), png);
    console.log(`${path.relative(process.cwd(), path.join(outDir, file))}  ${size}x${size}  ${png.length} bytes`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main();
}
