import { crc32, deflateSync } from 'node:zlib';

/**
 * Draws Collaro's mark (a white "C" ring on an indigo disc) as PNG bytes. The tray icon's states and
 * the installer icons in desktop/build come from this one drawing, so nothing has to be downloaded.
 */
export type IconBadge = 'none' | 'unread' | 'in-call' | 'mic-live';

const BRAND: Rgb = [79, 70, 229];
const WHITE: Rgb = [255, 255, 255];
const BADGE_COLORS: Record<Exclude<IconBadge, 'none'>, Rgb> = { unread: [239, 68, 68], 'in-call': [22, 163, 74], 'mic-live': [234, 88, 12] };
const SUPERSAMPLING = 4;

type Rgb = readonly [number, number, number];

interface Layer {
  color: Rgb;
  covers: (x: number, y: number) => boolean;
}

function layersFor(size: number, badge: IconBadge): Layer[] {
  const center = size / 2;
  const radius = size * 0.46;
  const ringOuter = size * 0.3;
  const ringInner = size * 0.18;
  const disc = (cx: number, cy: number, r: number) => (x: number, y: number) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  const layers: Layer[] = [
    { color: BRAND, covers: disc(center, center, radius) },
    {
      color: WHITE,
      covers: (x, y) => {
        const distance = Math.hypot(x - center, y - center);
        // The opening of the "C" faces right: leave out a 90° wedge around the positive x axis.
        const angle = Math.atan2(y - center, x - center);
        return distance <= ringOuter && distance >= ringInner && Math.abs(angle) > Math.PI / 4;
      },
    },
  ];
  if (badge !== 'none') {
    const badgeRadius = size * 0.2;
    const badgeCenter = size - badgeRadius - size * 0.02;
    layers.push({ color: WHITE, covers: disc(badgeCenter, size - badgeCenter, badgeRadius + size * 0.04) });
    layers.push({ color: BADGE_COLORS[badge], covers: disc(badgeCenter, size - badgeCenter, badgeRadius) });
  }
  return layers;
}

/** RGBA pixels, anti-aliased by supersampling each pixel. */
export function renderIconPixels(size: number, badge: IconBadge = 'none'): Uint8Array {
  const pixels = new Uint8Array(size * size * 4);
  const layers = layersFor(size, badge);
  const samples = SUPERSAMPLING * SUPERSAMPLING;
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let sy = 0; sy < SUPERSAMPLING; sy += 1) {
        for (let sx = 0; sx < SUPERSAMPLING; sx += 1) {
          const px = x + (sx + 0.5) / SUPERSAMPLING;
          const py = y + (sy + 0.5) / SUPERSAMPLING;
          let top: Rgb | null = null;
          for (const layer of layers) if (layer.covers(px, py)) top = layer.color;
          if (top) {
            r += top[0];
            g += top[1];
            b += top[2];
            covered += 1;
          }
        }
      }
      const offset = (y * size + x) * 4;
      if (covered > 0) {
        pixels[offset] = Math.round(r / covered);
        pixels[offset + 1] = Math.round(g / covered);
        pixels[offset + 2] = Math.round(b / covered);
        pixels[offset + 3] = Math.round((covered / samples) * 255);
      }
    }
  }
  return pixels;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(typeAndData) >>> 0);
  return Buffer.concat([length, typeAndData, checksum]);
}

export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y += 1) {
    rows[y * (width * 4 + 1)] = 0; // filter: none
    rows.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', new Uint8Array()),
  ]);
}

export function renderIconPng(size: number, badge: IconBadge = 'none'): Buffer {
  return encodePng(size, size, renderIconPixels(size, badge));
}
