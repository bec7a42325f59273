import { z } from 'zod';

/** A title is one line of plain text: returned as text, never as HTML. */
const title = z.string().trim().min(1, 'write a title').max(200).regex(/^[^\u0000-\u001f\u007f]*$/, 'is one line without control characters');
const markdown = (max: number) => z.string().trim().min(1, 'write something').max(max);
const attachmentIds = z.array(z.number().int().positive()).max(20);

export const experienceInput = z
  .object({ part_name: z.string().trim().min(1).max(255), title, text: markdown(20_000), works: z.boolean().optional(), attachment_ids: attachmentIds.optional() })
  .strict();

export const experienceChange = z
  .object({ title: title.optional(), text: markdown(20_000).optional(), works: z.boolean().optional(), attachment_ids: attachmentIds.optional() })
  .strict()
  .refine((change) => Object.keys(change).length > 0, 'say what changes: title, text, works or attachment_ids');

export const commentInput = z.object({ text: markdown(2000), parent_id: z.number().int().positive().optional() }).strict();
export const commentChange = z.object({ text: markdown(2000) }).strict();

const page = z.coerce.number().int().min(1).max(10_000).default(1);
const perPage = z.coerce.number().int().min(1).max(100).default(20);

export const experienceQuery = z.object({ part: z.string().min(1).max(255).optional(), author: z.string().min(1).max(40).optional(), page, per_page: perPage }).strict();
export const pageQuery = z.object({ page, per_page: perPage }).strict();
export const timelineQuery = z.object({ before: z.coerce.number().int().min(1).optional(), limit: z.coerce.number().int().min(1).max(100).default(20) }).strict();
