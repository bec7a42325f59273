import { ApiError, csrfToken } from '@brickyard/client';

/** POST /api/users/me/avatar as multipart/form-data (field `file`), with the CSRF header the JSON client adds elsewhere. */
export async function uploadAvatar(file: File): Promise<{ avatar_url: string }> {
  const form = new FormData();
  form.append('file', file);
  const token = csrfToken();
  let response: Response;
  try {
    response = await fetch('/api/users/me/avatar', { method: 'POST', body: form, credentials: 'same-origin', headers: token ? { 'x-csrf-token': token } : {} });
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached.');
  }
  const body = await response.json().catch(() => undefined);
  if (!response.ok) throw new ApiError(response.status, body?.code ?? `http_${response.status}`, body?.message ?? `The server answered ${response.status}.`);
  return body;
}
