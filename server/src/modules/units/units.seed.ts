import type { UnitCreate, UnitKind } from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Ctx } from '../../context';
import type { Database } from '../../db/schema';
import { hasAnyUnit } from './units.repository';
import { insertUnit } from './units.service';

type SeedUnit = [kind: UnitKind, name: string, shortName: string, aliases: string[], regionCode?: string];

/**
 * Xuzhou's responsible units as the plan names them (docs/DOMAIN.md §2), with their full names, and the county-level
 * divisions with their 行政区划代码. Loaded into a new database only.
 */
export const XUZHOU_UNITS: SeedUnit[] = [
  ['department', '中共徐州市委组织部', '市委组织部', []],
  ['department', '中共徐州市委宣传部', '市委宣传部', []],
  ['department', '徐州市发展和改革委员会', '市发改委', ['市发展改革委']],
  ['department', '徐州市教育局', '市教育局', []],
  ['department', '徐州市科学技术局', '市科技局', []],
  ['department', '徐州市工业和信息化局', '市工信局', []],
  ['department', '徐州市民政局', '市民政局', []],
  ['department', '徐州市财政局', '市财政局', []],
  ['department', '徐州市人力资源和社会保障局', '市人社局', []],
  ['department', '徐州市自然资源和规划局', '市自然资源和规划局', ['市资规局']],
  ['department', '徐州市生态环境局', '市生态环境局', []],
  ['department', '徐州市住房和城乡建设局', '市住建局', []],
  ['department', '徐州市水务局', '市水务局', []],
  ['department', '徐州市农业农村局', '市农业农村局', []],
  ['department', '徐州市文化广电和旅游局', '市文广旅局', []],
  ['department', '徐州市卫生健康委员会', '市卫健委', []],
  ['department', '徐州市应急管理局', '市应急管理局', ['市应急局']],
  ['department', '徐州市市场监督管理局', '市市场监管局', []],
  ['department', '徐州市体育局', '市体育局', []],
  ['department', '徐州市气象局', '市气象局', []],
  ['department', '徐州市人民防空办公室', '市人防办', []],
  ['mass_org', '徐州市总工会', '市总工会', []],
  ['mass_org', '共青团徐州市委员会', '团市委', []],
  ['mass_org', '徐州市妇女联合会', '市妇联', []],
  ['mass_org', '徐州市科学技术协会', '市科协', ['纲要办']],
  ['mass_org', '徐州市社会科学界联合会', '市社科联', []],
  ['media', '徐州广播电视台', '徐州广播电视台', []],
  ['county', '徐州市鼓楼区人民政府', '鼓楼区', ['鼓楼区政府'], '320302'],
  ['county', '徐州市云龙区人民政府', '云龙区', ['云龙区政府'], '320303'],
  ['county', '徐州市贾汪区人民政府', '贾汪区', ['贾汪区政府'], '320305'],
  ['county', '徐州市泉山区人民政府', '泉山区', ['泉山区政府'], '320311'],
  ['county', '徐州市铜山区人民政府', '铜山区', ['铜山区政府'], '320312'],
  ['county', '丰县人民政府', '丰县', ['丰县政府'], '320321'],
  ['county', '沛县人民政府', '沛县', ['沛县政府'], '320322'],
  ['county', '睢宁县人民政府', '睢宁县', ['睢宁县政府'], '320324'],
  ['county', '新沂市人民政府', '新沂市', ['新沂市政府'], '320381'],
  ['county', '邳州市人民政府', '邳州市', ['邳州市政府'], '320382'],
  ['zone', '徐州经济技术开发区管理委员会', '徐州经济技术开发区', ['经开区', '徐州经开区']],
  ['zone', '徐州高新技术产业开发区管理委员会', '徐州高新技术产业开发区', ['高新区', '徐州高新区']],
  ['zone', '徐州淮海国际港务区管理委员会', '徐州淮海国际港务区', ['港务区', '淮海国际港务区']],
];

/** Insert the Xuzhou units when the registry is empty; returns how many were added. */
export async function seedXuzhouUnits(trx: Kysely<Database>, ctx: Ctx): Promise<number> {
  if (await hasAnyUnit(trx)) return 0;
  let order = 10;
  for (const [kind, name, shortName, aliases, regionCode] of XUZHOU_UNITS) {
    const input: UnitCreate = {
      kind,
      name,
      shortName,
      aliases,
      regionCode: regionCode ?? null,
      sortOrder: order,
      jurisdictionId: null,
    };
    await insertUnit(trx, ctx, input);
    order += 10;
  }
  return XUZHOU_UNITS.length;
}
