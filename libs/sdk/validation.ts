import { type PipeTransform } from '@nestjs/common';
import type { ZodType } from 'zod';
import { BrickyardError } from './errors';

/** Says what is wrong with `value` against `schema`, field by field, in one line (`root` names a problem with the whole value). */
export function describeIssues(issues: { path: PropertyKey[]; message: string }[], root: string): string {
  return issues.map((i) => `${i.path.map(String).join('.') || root}: ${i.message}`).join('; ');
}

/**
 * Validates a request's body, query or parameter with a zod schema and passes on
 * the parsed value; a mismatch is refused as `invalid_params` (400) naming each
 * wrong field. Use it as `@Body(new ZodPipe(schema, 'body'))`.
 */
export class ZodPipe<T> implements PipeTransform<unknown, T> {
  constructor(
    private readonly schema: ZodType<T>,
    private readonly what = 'body',
    /** Appended to the message: what a valid request looks like. */
    private readonly hint?: string,
  ) {}

  transform(value: unknown): T {
    const parsed = this.schema.safeParse(value ?? (this.what === 'body' ? undefined : {}));
    if (parsed.success) return parsed.data;
    const detail = describeIssues(parsed.error.issues, 'as a whole');
    throw new BrickyardError('invalid_params', `invalid ${this.what}: ${detail}${this.hint ? ` (${this.hint})` : ''}`);
  }
}
