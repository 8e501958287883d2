/**
 * The app's one pair of languages: Chinese first, English too. Types and one pure helper only, so server code,
 * client components and the JS-SDK layer share them.
 */

export type Lang = 'zh' | 'en';

export interface Bilingual {
  zh: string;
  en: string;
}

/** Chinese first; English when the caller's Accept-Language (or navigator.language) prefers it. */
export function pickLang(acceptLanguage: string | null | undefined): Lang {
  if (!acceptLanguage) return 'zh';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh';
}
