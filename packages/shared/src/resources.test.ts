import { describe, expect, it } from 'vitest';
import { describeRegistryQuery, proposeRegistryQuery, RegistryQuerySchema } from './resources';

// The Xuzhou plan's countable targets (as parsed from server/sample/xuzhou-2022.txt) and the query each is bound to.
const XUZHOU: [string, string, string | null][] = [
  ['公民具备科学素质的比例力争达到15.5%', 'survey_rate', null],
  ['全市创建15所“省级科学教育综合示范学校”', 'cumulative', '省级 科学教育综合示范学校 截至当日在册数量'],
  ['50所“市级科学教育综合示范学校”', 'cumulative', '市级 科学教育综合示范学校 截至当日在册数量'],
  ['建设10个“科学、技术、工程和数学教育”创新实践基地', 'cumulative', 'STEM创新实践基地 截至当日在册数量'],
  ['每年培训科技辅导员300人', 'annual', '科技辅导员 培训 当年人数合计'],
  ['每年培育高素质农民1.2万名', 'annual', '高素质农民、现代农业经营主体带头人 培训 当年人数合计'],
  ['其中现代农业经营主体带头人1800名以上', 'annual', '现代农业经营主体带头人 培训 当年人数合计'],
  ['每年举办市级竞赛约20场次', 'annual', '市级 竞赛 当年场次'],
  ['每年培养培训12万名技能劳动者', 'annual', '技能劳动者 培训 当年人数合计'],
  ['1.5万名高技能人才', 'annual', '高技能人才 培训 当年人数合计'],
  ['成立科技传播专家服务团10个', 'cumulative', '科技传播专家服务团 截至当日在册数量'],
  ['聘请首席科技传播专家50名', 'cumulative', '首席科技传播专家 截至当日在册数量'],
  ['新评定市级科普教育基地30家', 'cumulative', '市级 科普教育基地 2022-03-01 起新认定 截至当日在册数量'],
  ['省级科普教育基地10家以上', 'cumulative', '省级 科普教育基地 截至当日在册数量'],
  ['年科普活动覆盖面达到县域常住人口的80%以上', 'population_share', '当年科普活动参与人次（按县区）'],
];

describe('proposeRegistryQuery', () => {
  it.each(XUZHOU)('%s (%s)', (text, kind, expected) => {
    const q = proposeRegistryQuery({ text, kind }, '2022-03-01');
    expect(q ? describeRegistryQuery(q) : null).toBe(expected);
    if (q) expect(RegistryQuerySchema.parse(q)).toEqual(q);
  });

  it('binds nothing whose kind the registries cannot measure', () => {
    expect(proposeRegistryQuery({ text: '省级科普教育基地10家以上', kind: 'annual' })).toBeNull();
    expect(proposeRegistryQuery({ text: '建成社区科普大学50所', kind: 'cumulative' })).toBeNull();
  });

  it('refuses a count without a registry kind', () => {
    expect(RegistryQuerySchema.safeParse({ measure: 'count' }).success).toBe(false);
    expect(
      RegistryQuerySchema.safeParse({ measure: 'activity_person_times', kind: 'training' }).success,
    ).toBe(false);
  });
});
