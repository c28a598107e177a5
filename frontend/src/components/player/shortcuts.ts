/** Player keyboard shortcuts: which key does what, and when keys belong to something else. */
export type PlayerAction =
  | 'toggle-play'
  | 'seek-back'
  | 'seek-forward'
  | 'volume-up'
  | 'volume-down'
  | 'fullscreen'
  | 'theater'
  | 'mute'
  | 'captions'
  | 'subtitles-earlier'
  | 'subtitles-later';

export const SEEK_STEP_SECONDS = 10;
export const VOLUME_STEP = 0.1;

const KEYS: Record<string, PlayerAction> = {
  ' ': 'toggle-play',
  Spacebar: 'toggle-play',
  k: 'toggle-play',
  ArrowLeft: 'seek-back',
  ArrowRight: 'seek-forward',
  ArrowUp: 'volume-up',
  ArrowDown: 'volume-down',
  f: 'fullscreen',
  t: 'theater',
  m: 'mute',
  c: 'captions',
  // As in VLC: G shows the subtitles 0.1 s earlier, H 0.1 s later.
  g: 'subtitles-earlier',
  h: 'subtitles-later',
};

/** Input types that are clicked, not typed into: shortcuts still apply while they have focus. */
const CLICK_INPUTS = new Set(['button', 'checkbox', 'radio', 'submit', 'reset', 'image', 'color', 'file', 'range']);
const TEXT_ROLES = new Set(['textbox', 'searchbox', 'combobox', 'spinbutton']);

/** Whether keys typed now go to a field (search box, form, slider) rather than the player. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (target instanceof HTMLInputElement) return !CLICK_INPUTS.has(target.type);
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLElement && target.isContentEditable) return true;
  if (target.closest('[contenteditable=""], [contenteditable="true"]')) return true;
  return TEXT_ROLES.has(target.getAttribute('role') ?? '');
}

/** Space and Enter on a button, link or menu item activate that control natively. */
function activatesControl(key: string, target: EventTarget | null): boolean {
  if (key !== ' ' && key !== 'Spacebar' && key !== 'Enter') return false;
  return target instanceof Element && target.closest('button, a[href], [role^="menuitem"], [role="button"], [role="option"]') !== null;
}

/** A slider (the seek bar, the volume) keeps its arrow keys; other shortcuts still work on it. */
function sliderArrow(key: string, target: EventTarget | null): boolean {
  if (!key.startsWith('Arrow') || !(target instanceof Element)) return false;
  return (target instanceof HTMLInputElement && target.type === 'range') || target.getAttribute('role') === 'slider';
}

type KeyLike = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'target'>;

/** The player action for a key press, or undefined when the key is not the player's to handle. */
export function actionForKey(event: KeyLike): PlayerAction | undefined {
  if (event.ctrlKey || event.metaKey || event.altKey) return undefined;
  if (isTypingTarget(event.target) || activatesControl(event.key, event.target)) return undefined;
  if (sliderArrow(event.key, event.target)) return undefined;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  return KEYS[key];
}

/** Volume after one step, kept within 0..1 and free of float drift (0.30000000000000004). */
export function stepVolume(volume: number, direction: 1 | -1): number {
  return Math.min(1, Math.max(0, Math.round((volume + direction * VOLUME_STEP) * 100) / 100));
}

/** Position after a seek step, kept within the file. */
export function stepPosition(current: number, direction: 1 | -1, duration: number): number {
  const next = current + direction * SEEK_STEP_SECONDS;
  const end = Number.isFinite(duration) && duration > 0 ? duration : Number.POSITIVE_INFINITY;
  return Math.min(end, Math.max(0, next));
}
