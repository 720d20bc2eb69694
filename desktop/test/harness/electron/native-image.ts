import { readFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, checksum]);
}

/** A PNG of one colour: what the fake screens and windows show in the share picker. */
export function solidPng(width: number, height: number, rgb: [number, number, number]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x += 1) row.set(rgb, 1 + x * 3);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
}

function pngSize(buffer: Buffer): { width: number; height: number } | null {
  if (buffer.length < 24 || !buffer.subarray(0, 8).equals(PNG_SIGNATURE)) return null;
  return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20) };
}

/** `NativeImage` over PNG bytes: enough for tray icons, overlays and capture thumbnails. */
export class NativeImageEmulation {
  readonly _representations: { scaleFactor: number; buffer: Buffer }[] = [];
  _size: { width: number; height: number };

  constructor(buffer: Buffer | null, size?: { width: number; height: number }) {
    if (buffer && buffer.length > 0) this._representations.push({ scaleFactor: 1, buffer });
    this._size = size ?? (buffer ? (pngSize(buffer) ?? { width: 0, height: 0 }) : { width: 0, height: 0 });
  }

  isEmpty(): boolean {
    return this._representations.length === 0;
  }

  getSize(): { width: number; height: number } {
    return { ...this._size };
  }

  toPNG(): Buffer {
    return this._representations[0]?.buffer ?? Buffer.alloc(0);
  }

  toDataURL(): string {
    return this.isEmpty() ? 'data:image/png;base64,' : `data:image/png;base64,${this.toPNG().toString('base64')}`;
  }

  toBitmap(): Buffer {
    return Buffer.alloc(this._size.width * this._size.height * 4);
  }

  addRepresentation(options: { scaleFactor?: number; buffer?: Buffer; dataURL?: string }): void {
    const buffer = options.buffer ?? (options.dataURL ? Buffer.from(options.dataURL.split(',')[1] ?? '', 'base64') : null);
    if (buffer) this._representations.push({ scaleFactor: options.scaleFactor ?? 1, buffer });
  }

  getScaleFactors(): number[] {
    return this._representations.map((representation) => representation.scaleFactor);
  }

  resize(size: { width?: number; height?: number }): NativeImageEmulation {
    const resized = new NativeImageEmulation(this.toPNG());
    resized._size = { width: size.width ?? this._size.width, height: size.height ?? this._size.height };
    return resized;
  }

  setTemplateImage(): void {}

  isTemplateImage(): boolean {
    return false;
  }
}

export const nativeImage = {
  createEmpty: () => new NativeImageEmulation(null),
  createFromBuffer: (buffer: Buffer, options: { width?: number; height?: number } = {}) =>
    new NativeImageEmulation(buffer, options.width && options.height ? { width: options.width, height: options.height } : undefined),
  createFromPath: (filePath: string) => {
    try {
      return new NativeImageEmulation(readFileSync(filePath));
    } catch {
      return new NativeImageEmulation(null);
    }
  },
  createFromDataURL: (dataUrl: string) => new NativeImageEmulation(Buffer.from(dataUrl.split(',')[1] ?? '', 'base64')),
};
