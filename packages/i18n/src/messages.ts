/** The four catalogs and `t`, the one way code gets a sentence in the household's language. */

import { de } from "./catalog-de.js";
import { type Catalog, en, type MessageKey } from "./catalog-en.js";
import { fr } from "./catalog-fr.js";
import { lb } from "./catalog-lb.js";
import { interpolate } from "./format.js";
import type { Language } from "./languages.js";

export const CATALOGS: Readonly<Record<Language, Catalog>> = { lb, fr, de, en };

/** The message `key` in `lang` with its `{placeholders}` filled in. */
export function t(lang: Language, key: MessageKey, params?: Readonly<Record<string, string | number>>): string {
  return interpolate(CATALOGS[lang][key], params);
}

/** `t` bound to one language, for code that speaks one language throughout. */
export type Translate = (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string;

export function translator(lang: Language): Translate {
  return (key, params) => t(lang, key, params);
}
