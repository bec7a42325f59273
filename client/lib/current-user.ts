import { reactive, readonly } from 'vue';
import { ApiError, api, csrfToken } from './api';

export interface User {
  id: string;
  username: string;
  display_name: string;
  avatar_url?: string;
  role: 'user' | 'admin';
}

/**
 * Who is signed in, from GET /api/auth/me (401: nobody). `status` tells the
 * shell whether to show the user, a sign-in link, or that it could not ask.
 */
const state = reactive({
  status: 'unknown' as 'unknown' | 'signed-in' | 'signed-out' | 'unavailable',
  user: null as User | null,
});

export const currentUser = readonly(state);

export async function loadCurrentUser(): Promise<void> {
  // Sign-in sets the readable CSRF cookie beside the session's, for as long: without it nobody is
  // signed in, and asking would only log a 401 in the console of every anonymous visitor.
  if (!csrfToken()) {
    state.user = null;
    state.status = 'signed-out';
    return;
  }
  try {
    state.user = await api.get<User>('/api/auth/me');
    state.status = 'signed-in';
  } catch (error) {
    state.user = null;
    // 401: signed out. 404: the accounts plugin is disabled, so nobody can sign in either.
    state.status = error instanceof ApiError && (error.status === 401 || error.status === 404) ? 'signed-out' : 'unavailable';
  }
}
