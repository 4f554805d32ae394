import type { UnitKind } from '@kesu/shared';

/** A unit a demo county's document names: its full name, and the name the document writes (its short name). */
type DemoUnit = [kind: UnitKind, name: string, shortName: string];

/** A county of the demo: its 行政区划代码, its invented 实施方案 in server/sample/, and the units that document names. */
export interface DemoCounty {
  code: string;
  file: string;
  units: readonly DemoUnit[];
}

/**
 * Two real counties of Xuzhou with invented 实施方案 of their own (server/sample/*-demo.txt; each says so under its
 * notice). The registry answers to a name once across every jurisdiction, so the documents write each unit with its
 * county's name (丰县教育局, not 县教育局): two counties' 县教育局 could not both be found by name.
 */
export const DEMO_COUNTIES: readonly DemoCounty[] = [
  {
    code: '320321',
    file: 'fengxian-2022-demo.txt',
    units: [
      ['department', '中共丰县县委组织部', '丰县县委组织部'],
      ['department', '中共丰县县委宣传部', '丰县县委宣传部'],
      ['department', '中共丰县县委党校', '丰县县委党校'],
      ['department', '丰县发展和改革委员会', '丰县发改委'],
      ['department', '丰县教育局', '丰县教育局'],
      ['department', '丰县科学技术局', '丰县科技局'],
      ['department', '丰县工业和信息化局', '丰县工信局'],
      ['department', '丰县公安局', '丰县公安局'],
      ['department', '丰县民政局', '丰县民政局'],
      ['department', '丰县财政局', '丰县财政局'],
      ['department', '丰县人力资源和社会保障局', '丰县人社局'],
      ['department', '丰县住房和城乡建设局', '丰县住建局'],
      ['department', '丰县农业农村局', '丰县农业农村局'],
      ['department', '丰县文化广电和旅游局', '丰县文广旅局'],
      ['department', '丰县卫生健康委员会', '丰县卫健委'],
      ['department', '丰县应急管理局', '丰县应急管理局'],
      ['department', '丰县气象局', '丰县气象局'],
      ['mass_org', '丰县总工会', '丰县总工会'],
      ['mass_org', '共青团丰县委员会', '团丰县委'],
      ['mass_org', '丰县妇女联合会', '丰县妇联'],
      ['mass_org', '丰县科学技术协会', '丰县科协'],
      ['media', '丰县融媒体中心', '丰县融媒体中心'],
    ],
  },
  {
    code: '320324',
    file: 'suining-2022-demo.txt',
    units: [
      ['department', '中共睢宁县委组织部', '睢宁县委组织部'],
      ['department', '中共睢宁县委宣传部', '睢宁县委宣传部'],
      ['department', '中共睢宁县委党校', '睢宁县委党校'],
      ['department', '睢宁县发展和改革委员会', '睢宁县发改委'],
      ['department', '睢宁县教育局', '睢宁县教育局'],
      ['department', '睢宁县科学技术局', '睢宁县科技局'],
      ['department', '睢宁县工业和信息化局', '睢宁县工信局'],
      ['department', '睢宁县公安局', '睢宁县公安局'],
      ['department', '睢宁县民政局', '睢宁县民政局'],
      ['department', '睢宁县财政局', '睢宁县财政局'],
      ['department', '睢宁县人力资源和社会保障局', '睢宁县人社局'],
      ['department', '睢宁县生态环境局', '睢宁县生态环境局'],
      ['department', '睢宁县农业农村局', '睢宁县农业农村局'],
      ['department', '睢宁县商务局', '睢宁县商务局'],
      ['department', '睢宁县文化广电和旅游局', '睢宁县文广旅局'],
      ['department', '睢宁县卫生健康委员会', '睢宁县卫健委'],
      ['department', '睢宁县应急管理局', '睢宁县应急管理局'],
      ['department', '睢宁县气象局', '睢宁县气象局'],
      ['mass_org', '睢宁县总工会', '睢宁县总工会'],
      ['mass_org', '共青团睢宁县委员会', '团睢宁县委'],
      ['mass_org', '睢宁县妇女联合会', '睢宁县妇联'],
      ['mass_org', '睢宁县科学技术协会', '睢宁县科协'],
      ['media', '睢宁县融媒体中心', '睢宁县融媒体中心'],
    ],
  },
];

/**
 * A proposed link is confirmed by the demo when it scores at least this (task-links.ts: the same key population
 * is 40, shared title words add up to 50): a person would keep those; the weaker ones stay proposed, to decide.
 */
export const DEMO_CONFIRM_AT = 50;
