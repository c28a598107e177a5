/** Indexers (Torznab endpoints such as Prowlarr or Jackett): the form's rules (the calls are in api/admin). */
import type { Indexer, IndexerCaps, IndexerInput } from '../../api/types';

export interface IndexerDraft {
  name: string;
  url: string;
  /** Write-only: empty means "keep the stored key" when editing. */
  apiKey: string;
  categories: string;
  enabled: boolean;
}

export const draftOf = (indexer?: Indexer): IndexerDraft => ({
  name: indexer?.name ?? '',
  url: indexer?.url ?? '',
  apiKey: '',
  categories: (indexer?.categories ?? []).join(', '),
  enabled: indexer?.enabled ?? true,
});

/** "5000, 5030 5040" -> [5000, 5030, 5040]; undefined when something is not a category number. */
export function parseCategories(text: string): number[] | undefined {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (!parts.every((p) => /^\d{1,6}$/.test(p))) return undefined;
  return [...new Set(parts.map(Number))];
}

/** The body to send, or the field errors to show first. The key is only sent when typed. */
export function indexerBody(draft: IndexerDraft, creating: boolean): { body?: IndexerInput; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const categories = parseCategories(draft.categories);
  if (!draft.name.trim()) errors.name = 'Give the indexer a name.';
  if (!/^https?:\/\/\S+$/i.test(draft.url.trim())) errors.url = 'An http:// or https:// address, e.g. http://prowlarr.lan:9696/1/api';
  if (creating && !draft.apiKey.trim()) errors.apiKey = 'The API key from Prowlarr or Jackett.';
  if (!categories) errors.categories = 'Category numbers separated by commas, e.g. 2000, 5000.';
  if (Object.keys(errors).length) return { errors };
  const key = draft.apiKey.trim();
  return {
    errors,
    // The key is required (checked above) when creating; when editing, absent = keep the stored one.
    body: { name: draft.name.trim(), url: draft.url.trim(), categories, enabled: draft.enabled, ...(key ? { apiKey: key } : {}) } as IndexerInput,
  };
}

const MODES = [
  ['search', 'Search'],
  ['tvSearch', 'TV search'],
  ['movieSearch', 'Movie search'],
] as const;

/** What an indexer's caps say it supports, one readable line each ("TV search: q, season, ep, tvdbid"). */
export function capsLines(caps: IndexerCaps | null | undefined): string[] {
  if (!caps) return [];
  const lines = MODES.map(([key, name]) => {
    const mode = caps[key];
    return mode.available ? `${name}: ${mode.params.length ? mode.params.join(', ') : 'no parameters'}` : `${name}: not supported`;
  });
  const names = caps.categories.map((c) => `${c.name} (${c.id})`);
  if (names.length) lines.push(`Categories: ${names.slice(0, 8).join(', ')}${names.length > 8 ? ` and ${names.length - 8} more` : ''}`);
  return lines;
}
