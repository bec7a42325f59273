import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readUpload, sniffType } from './uploads';

describe('sniffType', () => {
  test('knows images, PDF and text by their first bytes, and nothing else', () => {
    expect(sniffType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffType(Buffer.from('GIF89a...'))).toBe('image/gif');
    expect(sniffType(Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]))).toBe('image/webp');
    expect(sniffType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffType(Buffer.from('ATOM      1  N   THR A   1      17.047  14.099   3.625\n'))).toBe('text/plain');
    expect(sniffType(Buffer.from('<svg onload="alert(1)"/>'))).toBe('text/plain'); // text, never an image
    expect(sniffType(Buffer.from([0x00, 0x01, 0x02]))).toBeUndefined();
    expect(sniffType(Buffer.from([0xc3, 0x28]))).toBeUndefined(); // not UTF-8
    expect(sniffType(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('readUpload', () => {
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    server = http.createServer((request, response) => {
      readUpload(request, { maxBytes: 1000, types: ['image/png', 'text/plain'] }).then(
        (upload) => response.end(JSON.stringify({ filename: upload.filename, type: upload.type, size: upload.bytes.length, fields: upload.fields })),
        (error) => response.writeHead(error.status).end(JSON.stringify({ code: error.code, message: error.message })),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const send = async (form: FormData | string, headers: Record<string, string> = {}) => {
    const response = await fetch(url, { method: 'POST', body: form, headers });
    return { status: response.status, body: await response.json() };
  };
  const form = (name: string, bytes: Buffer | string, field = 'file') => {
    const data = new FormData();
    data.append('note', 'hello');
    data.append(field, new Blob([bytes]), name);
    return data;
  };

  test('one file with its fields; the folder of the name is dropped', async () => {
    expect(await send(form('../../etc/notes.txt', 'GFP works'))).toEqual({ status: 200, body: { filename: 'notes.txt', type: 'text/plain', size: 9, fields: { note: 'hello' } } });
  });

  test('refusals a person can act on', async () => {
    expect(await send(form('big.txt', 'x'.repeat(1001)))).toMatchObject({ status: 413, body: { code: 'payload_too_large' } });
    expect(await send(form('exact.txt', 'x'.repeat(1000)))).toMatchObject({ status: 200, body: { size: 1000 } }); // the limit itself is allowed
    expect(await send(form('fake.png', Buffer.from([0, 1, 2, 3])))).toMatchObject({ status: 400, body: { message: expect.stringMatching(/accepted are image\/png, text\/plain/) } });
    expect(await send(form('a.txt', 'x', 'other'))).toMatchObject({ status: 400, body: { message: expect.stringMatching(/field "file"/) } });
    expect(await send('{"file": 1}', { 'content-type': 'application/json' })).toMatchObject({ status: 400, body: { message: expect.stringMatching(/multipart\/form-data/) } });
    const noFile = new FormData();
    noFile.append('note', 'only');
    expect(await send(noFile)).toMatchObject({ status: 400, body: { message: 'no file in the form field "file"' } });
  });
});
