/**
 * Normalise a responsible-unit name as written in a plan so that "市科协", " 市科协等" and "市科协（牵头）"
 * compare equal: full-width ASCII folded, white space removed, a trailing 等/等单位/等部门 and a role note in
 * parentheses dropped.
 */
export function normalizeUnitName(name: string): string {
  let s = name.normalize('NFKC').replace(/\s+/g, '');
  s = s.replace(/[(（](牵头|配合|负责|按职责分工负责)[)）]$/u, '');
  s = s.replace(/(牵头|配合)$/u, '');
  s = s.replace(/等(单位|部门)?$/u, '');
  s = s.replace(/[、,，;；。.]+$/u, '');
  return s;
}
