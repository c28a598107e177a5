import ListPlus from 'lucide-solid/icons/list-plus';
import { createSignal, Show } from 'solid-js';
import { toApiError } from '../../api/client';
import { useProfiles } from '../../stores/profiles';
import { showToast } from '../../stores/toasts';
import { glassButton } from '../detail/actions';
import type { GetTarget } from '../../api/sources';
import { targetLabel } from '../get/labels';
import { addWanted } from '../../api/wanted';

/** "Add to wanted" for a movie, an episode, or a season/show (expanded by the server into its aired episodes). */
export function AddToWantedButton(props: { target: GetTarget; label?: string; class?: string }) {
  const [busy, setBusy] = createSignal(false);
  const add = async () => {
    setBusy(true);
    const label = targetLabel(props.target);
    try {
      const result = await addWanted(props.target);
      const added = result.added;
      const body = added > 1 ? `${label}: ${added} episodes` : label;
      showToast({ tone: 'success', title: added === 0 ? 'Already wanted' : 'Added to wanted', body });
    } catch (error) {
      showToast({ tone: 'error', title: `Couldn't add “${label}” to wanted`, body: toApiError(error).message });
    } finally {
      setBusy(false);
    }
  };
  const profiles = useProfiles();
  return (
    // Wanted is part of Get: a kid profile has no button (the API answers 403 not_for_kids).
    <Show when={!profiles.isKid()}>
      <button type="button" class={props.class ?? glassButton} disabled={busy()} onClick={() => void add()}>
        <ListPlus class="size-4" strokeWidth={1.75} />
        {props.label ?? 'Add to wanted'}
      </button>
    </Show>
  );
}
