import { BrickyardError, type ErrorCode, type Frame } from '@brickyard/sdk';

/** A refused frame: a BrickyardError (the same codes as HTTP error bodies) that remembers the frame's id. */
export class FrameError extends BrickyardError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly id?: string,
  ) {
    super(code, message);
  }
}

export const TOPIC = /^[A-Za-z0-9:._\-\/]{1,200}$/;
const HANDLER = /^[a-z][a-zA-Z0-9-]*(\.[a-z][a-zA-Z0-9-]*)?$/;

/** Parses and checks one incoming text frame; throws a FrameError that says what is wrong. */
export function parseFrame(text: string): Frame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new FrameError('bad_json', `frame is not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FrameError('bad_frame', 'a frame is a JSON object {"handler": string, "data"?: any, "id"?: string}');
  }
  const frame = value as Record<string, unknown>;
  const id = typeof frame.id === 'string' ? frame.id : undefined;
  if (frame.id !== undefined && (typeof frame.id !== 'string' || frame.id.length === 0 || frame.id.length > 100)) {
    throw new FrameError('bad_frame', '"id" must be a string of 1 to 100 characters');
  }
  if (frame.handler === undefined) throw new FrameError('bad_frame', 'the frame has no "handler"', id);
  if (typeof frame.handler !== 'string') throw new FrameError('bad_frame', `"handler" must be a string, not ${typeof frame.handler}`, id);
  if (!HANDLER.test(frame.handler)) {
    throw new FrameError('bad_frame', `"handler" must look like "ping" or "<plugin>.<handler>", not ${JSON.stringify(frame.handler.slice(0, 80))}`, id);
  }
  const extra = Object.keys(frame).filter((key) => !['handler', 'data', 'id'].includes(key));
  if (extra.length) throw new FrameError('bad_frame', `unknown frame field(s): ${extra.join(', ')}`, id);
  return { handler: frame.handler, data: frame.data, id };
}

export function errorFrame(code: ErrorCode, message: string, id?: string): string {
  return JSON.stringify({ handler: 'error', data: { code, message }, ...(id ? { id } : {}) });
}

export function encodeFrame(handler: string, data: unknown, id?: string): string {
  return JSON.stringify({ handler, data, ...(id ? { id } : {}) });
}
