/**
 * The languages of the household: Luxembourgish, French, German and English (`SMARTY_LANGUAGE`). The page picks
 * one from the browser's list when the variable is unset; the notifier then speaks English.
 */

export const LANGUAGES = ["lb", "fr", "de", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = "en";

export function isLanguage(s: unknown): s is Language {
  return typeof s === "string" && (LANGUAGES as readonly string[]).includes(s);
}

/**
 * The first of the browser's languages we speak (`navigator.languages`: the user's list, the same one its
 * `Accept-Language` header carries, RFC 9110 §12.5.4): "fr-LU" is French, "de-CH" German; English when none matches.
 */
export function pickLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const base = tag.trim().toLowerCase().split(/[-_]/)[0];
    if (isLanguage(base)) return base;
  }
  return DEFAULT_LANGUAGE;
}
