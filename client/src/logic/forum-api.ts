import { api, ApiError, csrfToken, request as send } from '@brickyard/client';

/** The forum's answers (plugins/builtin/forum/server): titles, names and texts are plain text; only `html` is the server's sanitized rendering. */
export interface Experience {
  id: string;
  part_name: string;
  author: { id: string; username: string } | null;
  author_name: string;
  title: string;
  digest: string;
  works: boolean | null;
  votes: number;
  voted: boolean;
  comments: number;
  created_at: string;
  updated_at: string;
}

export interface Attachment {
  id: string;
  filename: string;
  type: string;
  size: number;
  url: string;
}

export interface ExperienceDetail extends Experience {
  text: string;
  html: string;
  attachments: Attachment[];
}

export interface Comment {
  id: string;
  parent_id: string | null;
  depth: number;
  author: { id: string; username: string };
  author_name: string;
  text: string;
  html: string;
  created_at: string;
}

export interface Page<T> {
  page: number;
  per_page: number;
  total: number;
  items: T[];
}

export interface ExperienceInput {
  title: string;
  text: string;
  works?: boolean;
  attachment_ids?: number[];
}

const E = '/api/forum/experiences';

export const listExperiences = (part: string, page = 1) => api.get<Page<Experience>>(E, { part, page, per_page: 20 });
export const getExperience = (id: string) => api.get<ExperienceDetail>(`${E}/${id}`);
export const createExperience = (part: string, input: ExperienceInput) => api.post<ExperienceDetail>(E, { part_name: part, ...input });
export const updateExperience = (id: string, input: ExperienceInput) => request<ExperienceDetail>('PATCH', `${E}/${id}`, input);
export const deleteExperience = (id: string) => api.delete<unknown>(`${E}/${id}`);
export const vote = (id: string, on: boolean) => (on ? api.put<unknown>(`${E}/${id}/vote`) : api.delete<unknown>(`${E}/${id}/vote`));
export const listComments = (id: string) => api.get<Page<Comment>>(`${E}/${id}/comments`, { per_page: 100 });
export const addComment = (id: string, text: string, parentId?: string) => api.post<Comment>(`${E}/${id}/comments`, { text, ...(parentId ? { parent_id: Number(parentId) } : {}) });
export const editComment = (id: string, text: string) => request<Comment>('PATCH', `/api/forum/comments/${id}`, { text });
export const deleteComment = (id: string) => api.delete<unknown>(`/api/forum/comments/${id}`);

const request = <T>(method: string, path: string, body: unknown) => send<T>(path, { method, body });

/** Uploads one file (multipart field `file`) with the CSRF token; the answer's id is attached with `attachment_ids`. */
export async function uploadAttachment(file: File): Promise<Attachment> {
  const form = new FormData();
  form.append('file', file);
  const token = csrfToken();
  const response = await fetch('/api/forum/attachments', { method: 'POST', body: form, credentials: 'same-origin', headers: token ? { 'x-csrf-token': token } : {} });
  const body = await response.json().catch(() => undefined);
  if (!response.ok) throw new ApiError(response.status, body?.code ?? `http_${response.status}`, body?.message ?? `The upload was refused (${response.status}).`);
  return body as Attachment;
}

/** Markdown that shows an uploaded attachment: an image inline, anything else as a link. */
export function attachmentMarkdown(attachment: Pick<Attachment, 'filename' | 'type' | 'url'>): string {
  const label = attachment.filename.replace(/[[\]\\]/g, '');
  return attachment.type.startsWith('image/') ? `![${label}](${attachment.url})` : `[${label}](${attachment.url})`;
}
