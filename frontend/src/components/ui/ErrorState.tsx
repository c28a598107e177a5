import CloudOff from 'lucide-solid/icons/cloud-off';
import RefreshCw from 'lucide-solid/icons/refresh-cw';
import TriangleAlert from 'lucide-solid/icons/triangle-alert';
import { Show } from 'solid-js';
import type { ApiError } from '../../api/client';
import { buttonStyles } from './button';

/** A failed load: what went wrong (from the API's envelope) and a way to try again. */
export function ErrorState(props: { error: ApiError; onRetry?: () => void; title?: string; compact?: boolean }) {
  const offline = () => props.error.status === 0;
  const Icon = offline() ? CloudOff : TriangleAlert;
  return (
    <div
      role="alert"
      class="flex flex-col items-start gap-4 rounded-2xl border border-danger/25 bg-surface sm:flex-row sm:items-center"
      classList={{ 'p-6': !props.compact, 'p-4': props.compact }}
    >
      <span class="grid size-10 shrink-0 place-items-center rounded-xl bg-raised text-danger">
        <Icon class="size-5" strokeWidth={1.75} />
      </span>
      <div class="min-w-0 flex-1">
        <p class="font-medium text-ink">{props.title ?? (offline() ? "Can't reach /seen/" : 'Something went wrong')}</p>
        <p class="mt-1 text-sm text-ink-muted">{props.error.message}</p>
        <p class="mt-1 font-mono text-xs text-ink-subtle">
          {props.error.code}
          {props.error.status ? ` · HTTP ${props.error.status}` : ''}
        </p>
      </div>
      <Show when={props.onRetry}>
        {(retry) => (
          <button type="button" class={buttonStyles.secondary} onClick={() => retry()()}>
            <RefreshCw class="size-4" strokeWidth={1.75} />
            Try again
          </button>
        )}
      </Show>
    </div>
  );
}
