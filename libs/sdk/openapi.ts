/** A minimal OpenAPI 3.1 shape: what the core and plugins contribute (`definePlugin({ openApi })`) and `/api/docs` renders. */
export interface OpenApiOperation {
  summary: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: 'query' | 'path' | 'header'; required?: boolean; description: string; schema: Record<string, unknown> }[];
  requestBody?: { description: string; content: Record<string, { schema: Record<string, unknown>; example?: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema?: Record<string, unknown>; example?: unknown }> }>;
  security?: Record<string, string[]>[];
}

export type OpenApiPaths = Record<string, Partial<Record<'get' | 'post' | 'put' | 'delete', OpenApiOperation>>>;

export const ADMIN = [{ adminToken: [] }];
/** Signed-in users: the session cookie (or the admin token, which is an admin). */
export const SIGNED_IN: Record<string, string[]>[] = [{ sessionCookie: [] }, { adminToken: [] }];
export const json = (description: string, example?: unknown) => ({ description, content: { 'application/json': { ...(example === undefined ? {} : { example }) } } });
export const error = (description: string) => json(description, { statusCode: 400, code: 'invalid_params', message: 'what was wrong, and how to fix it', requestId: '1a-2f' });

