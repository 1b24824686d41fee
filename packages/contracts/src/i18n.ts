/**
 * Bilingual validation messages. Schemas carry the Chinese text (the default language);
 * `msg` records its English twin so the server can answer `Accept-Language: en`.
 */
const EN = new Map<string, string>();

export function msg(zh: string, en: string): string {
  EN.set(zh, en);
  return zh;
}

export function englishOf(zh: string): string | undefined {
  return EN.get(zh);
}
