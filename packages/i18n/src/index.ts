export { browserScript } from "./browser-script.js";
export type { Catalog, MessageKey } from "./catalog-en.js";
export {
  DATE_WORDS,
  formatClock,
  formatDate,
  formatDayMonth,
  formatMoney,
  formatMonthYear,
  formatNumber,
  formatWeekdayDate,
  interpolate,
  monthName,
  SEPARATORS,
  weekdayName,
} from "./format.js";
export {
  DEFAULT_LANGUAGE,
  isLanguage,
  LANGUAGES,
  type Language,
  pickLanguage,
} from "./languages.js";
export { CATALOGS, type Translate, t, translator } from "./messages.js";
