/**
 * Language and region choices for the preference selects.
 *
 * Only codes are listed here; the names come from Intl.DisplayNames in the
 * reader's own language, so the list stays small and needs no translations.
 */

/** ISO 639-1 codes of the languages most releases carry audio or subtitles in. */
export const LANGUAGES = [
  'ar', 'bg', 'bn', 'ca', 'cs', 'da', 'de', 'el', 'en', 'es', 'et', 'fa', 'fi', 'fr', 'he', 'hi', 'hr', 'hu', 'id',
  'is', 'it', 'ja', 'ko', 'lt', 'lv', 'ms', 'nb', 'nl', 'pl', 'pt', 'pt-BR', 'ro', 'ru', 'sk', 'sl', 'sr', 'sv', 'ta',
  'th', 'tr', 'uk', 'vi', 'zh', 'zh-TW',
] as const;

/** ISO 3166-1 alpha-2 regions TMDB publishes release dates for (the common ones). */
export const REGIONS = [
  'AR', 'AT', 'AU', 'BE', 'BG', 'BR', 'CA', 'CH', 'CL', 'CN', 'CO', 'CZ', 'DE', 'DK', 'EE', 'EG', 'ES', 'FI', 'FR', 'GB',
  'GR', 'HK', 'HR', 'HU', 'ID', 'IE', 'IL', 'IN', 'IS', 'IT', 'JP', 'KR', 'LT', 'LV', 'MX', 'MY', 'NG', 'NL', 'NO', 'NZ',
  'PE', 'PH', 'PL', 'PT', 'RO', 'RS', 'RU', 'SA', 'SE', 'SG', 'SI', 'SK', 'TH', 'TR', 'TW', 'UA', 'US', 'VN', 'ZA',
] as const;

function displayNames(type: 'language' | 'region'): Intl.DisplayNames | undefined {
  try {
    return new Intl.DisplayNames(undefined, { type });
  } catch {
    return undefined; // very old engines: fall back to the bare codes
  }
}

const languageNames = displayNames('language');
const regionNames = displayNames('region');

export function languageName(code: string): string {
  try {
    return languageNames?.of(code) ?? code;
  } catch {
    return code; // a code the engine rejects (saved by another client): show it as is
  }
}

export function regionName(code: string): string {
  try {
    return regionNames?.of(code) ?? code;
  } catch {
    return code;
  }
}

export interface Choice {
  value: string;
  label: string;
}

/**
 * Sorted choices for a select, keeping `current` even when it is not in the
 * list (a value saved by another client must not silently show as something else).
 */
export function choices(codes: readonly string[], name: (code: string) => string, current?: string | null): Choice[] {
  const all = current && !codes.includes(current) ? [...codes, current] : [...codes];
  return all.map((value) => ({ value, label: name(value) })).sort((a, b) => a.label.localeCompare(b.label));
}
