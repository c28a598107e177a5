import { createSignal } from 'solid-js';

/**
 * Whether the wide-screen sidebar is folded down to icons. Medium screens are
 * always icon-only and phones use a drawer, so this only matters on wide ones.
 */

export const SIDEBAR_STORAGE_KEY = 'seen.sidebar';

function readCollapsed(): boolean {
  try {
    return localStorage.getItem(SIDEBAR_STORAGE_KEY) === 'collapsed';
  } catch {
    return false;
  }
}

const [collapsed, setCollapsedSignal] = createSignal(readCollapsed());

export function setSidebarCollapsed(next: boolean) {
  setCollapsedSignal(next);
  try {
    localStorage.setItem(SIDEBAR_STORAGE_KEY, next ? 'collapsed' : 'expanded');
  } catch {
    // Not persisting is fine; the choice still holds for this visit.
  }
}

export const sidebarCollapsed = collapsed;
