/** Signing in and out, and the signed-in account. */
import { api, call, CSRF_HEADER } from './client';

export const fetchMe = () => call(api.GET('/api/v1/auth/me'));

export const login = (email: string, password: string) => call(api.POST('/api/v1/auth/login', { body: { email, password } }));

export const register = (body: { email: string; password: string; displayName: string | null }) =>
  call(api.POST('/api/v1/auth/register', { body }));

/** Ends the session; the refresh cookie's CSRF token proves the request comes from this app. */
export const logout = (csrf: string | undefined) =>
  call(api.POST('/api/v1/auth/logout', { headers: csrf ? { [CSRF_HEADER]: csrf } : {} }));

export const updateDisplayName = (displayName: string | null) => call(api.PATCH('/api/v1/auth/me', { body: { displayName } }));

/** Changes your password; the server signs your other sessions out. */
export const changePassword = (currentPassword: string, newPassword: string) =>
  call(api.POST('/api/v1/auth/password', { body: { currentPassword, newPassword } }));

/** Ends every session of yours, this one included. */
export const logoutEverywhere = () => call(api.POST('/api/v1/auth/logout-all'));
