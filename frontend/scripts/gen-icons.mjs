// Draws the app icons (public/icons/*.png, committed) from the favicon's geometry: two slanted
// strokes with the brand gradient on the dark canvas. No image library: a small rasterizer with
// anti-aliased edges and a PNG encoder over node:zlib.
//
//   node scripts/gen-icons.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const out = new URL('../public/icons/', import.meta.url).pathname;
const CANVAS = [0x11, 0x11, 0x11];
const FROM = [0x00, 0xb7, 0xff];
const TO = [0x58, 0x00, 0xa9];
// The favicon's 32-unit viewBox: strokes from (11,24) to (17,8) and (17,24) to (23,8), 3 units wide.
const STROKES = [[11, 24, 17, 8], [17, 24, 23, 8]];
const WIDTH = 3;

function distanceToSegment(px, py, [ax, ay, bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Coverage (0..1) of a rounded rectangle of the whole icon, `radius` in viewBox units (0: square). */
function inRoundedSquare(x, y, radius) {
  if (!radius) return 1;
  const cx = Math.min(Math.max(x, radius), 32 - radius);
  const cy = Math.min(Math.max(y, radius), 32 - radius);
  return Math.max(0, Math.min(1, radius - Math.hypot(x - cx, y - cy) + 0.5));
}

/**
 * RGBA pixels. `scale`: how much of the icon the logo fills (a maskable icon keeps it inside the
 * central safe zone); `radius`: rounded corners (transparent outside), 0 for a full-bleed square.
 */
function draw(size, { scale = 1, radius = 8 } = {}) {
  const pixels = Buffer.alloc(size * size * 4);
  const unit = 32 / size;
  for (let j = 0; j < size; j += 1) {
    for (let i = 0; i < size; i += 1) {
      const x = (i + 0.5) * unit;
      const y = (j + 0.5) * unit;
      // the logo's own coordinates, scaled about the centre
      const lx = 16 + (x - 16) / scale;
      const ly = 16 + (y - 16) / scale;
      const d = Math.min(...STROKES.map((s) => distanceToSegment(lx, ly, s)));
      const edge = (unit / scale) * 0.75;
      const ink = Math.max(0, Math.min(1, (WIDTH / 2 - d) / edge + 0.5));
      const t = Math.max(0, Math.min(1, (lx - 8 + (ly - 8)) / 32));
      const color = FROM.map((c, k) => c + (TO[k] - c) * t);
      const o = (j * size + i) * 4;
      for (let k = 0; k < 3; k += 1) pixels[o + k] = Math.round(CANVAS[k] * (1 - ink) + color[k] * ink);
      pixels[o + 3] = Math.round(255 * inRoundedSquare(x, y, radius));
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(size, pixels) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let j = 0; j < size; j += 1) pixels.copy(rows, j * (size * 4 + 1) + 1, j * size * 4, (j + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const icons = {
  'icon-192.png': [192, {}],
  'icon-512.png': [512, {}],
  // Maskable: full bleed, the logo inside the central 80 % safe zone.
  'icon-maskable-512.png': [512, { scale: 0.7, radius: 0 }],
  // iOS rounds the corners itself and shows transparency as black.
  'apple-touch-icon.png': [180, { radius: 0 }],
};

mkdirSync(out, { recursive: true });
for (const [name, [size, options]] of Object.entries(icons)) {
  const file = png(size, draw(size, options));
  writeFileSync(out + name, file);
  console.log(`${name}: ${size}x${size}, ${file.length} bytes`);
}
