import * as crypto from 'node:crypto';
import * as zlib from 'node:zlib';

/** CRC-32 as PNG chunks use it (node:zlib has crc32 only from Node 20.15 / 22.2). */
function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A real PNG of `size`×`size` RGB pixels: one colour, or random noise (which
 * does not compress, so the file is about 3·size² bytes). With `totalBytes`, an
 * ancillary chunk (which viewers skip) pads it to exactly that length.
 */
export function makePng(size: number, fill: 'noise' | [number, number, number], totalBytes?: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, RGB, deflate, no filter method, no interlace
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const pixels = fill === 'noise' ? crypto.randomBytes(size * 3) : Buffer.from(Array.from({ length: size }, () => fill).flat());
    rows.push(Buffer.from([0]), pixels); // filter type 0 per row
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const image = [signature, chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(Buffer.concat(rows)))];
  const end = chunk('IEND', Buffer.alloc(0));
  if (totalBytes === undefined) return Buffer.concat([...image, end]);
  const padding = totalBytes - Buffer.concat([...image, end]).length - 12; // a chunk's length, type and CRC
  if (padding < 0) throw new Error(`a ${size}×${size} PNG is already over ${totalBytes} bytes`);
  return Buffer.concat([...image, chunk('prVt', Buffer.alloc(padding, 0x2a)), end]);
}
