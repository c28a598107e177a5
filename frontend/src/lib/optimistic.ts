import { toApiError, type ApiError } from '../api/client';
import { showToast } from '../stores/toasts';

export interface OptimisticUpdate<T> {
  /** Changes local state right away; returns what `rollback` needs to undo it. */
  apply: () => T;
  /** The server call. */
  commit: () => Promise<unknown>;
  /** Puts local state back when the server said no. */
  rollback: (snapshot: T) => void;
  /** Toast title on failure, e.g. "Couldn't add to watch later". */
  failure: string;
}

/**
 * Applies a change locally, sends it, and on failure rolls it back and tells
 * the user why (the ApiError message). Resolves to the error, if any.
 */
export async function optimistic<T>(update: OptimisticUpdate<T>): Promise<ApiError | undefined> {
  const snapshot = update.apply();
  try {
    await update.commit();
    return undefined;
  } catch (error) {
    update.rollback(snapshot);
    const apiError = toApiError(error);
    showToast({ tone: 'error', title: update.failure, body: apiError.message });
    return apiError;
  }
}
