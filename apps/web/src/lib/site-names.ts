/** 尖草坪区新时代文明实践中心 → 尖草坪区: where a site sits, in the words residents use. */
export function placeName(siteName: string): string {
  return siteName.replace(/新时代文明实践(中心|所|站)$/, '') || siteName;
}

export function placePath(pathNames: string[]): string {
  return pathNames.map(placeName).join(' · ');
}
