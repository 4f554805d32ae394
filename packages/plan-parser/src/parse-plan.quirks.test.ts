import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type ParsedPlan, type ParsedTask, type Target, parsePlan } from './index';

/** A small plan document: a masthead, a title and the given body (dated 2023, so 2022 and earlier is history). */
function buildPlan(body: string): string {
  return [
    '某某市人民政府文件',
    '某政发〔2023〕5号',
    '某某市全民科学素质行动规划实施方案',
    body,
    '某某市人民政府',
    '2023年3月1日',
  ].join('\n');
}

function task(plan: ParsedPlan, path: string): ParsedTask {
  const found = plan.tasks.find((t) => t.path === path);
  if (!found) throw new Error(`no task ${path}; have ${plan.tasks.map((t) => t.path).join(' ')}`);
  return found;
}

function target(partial: Partial<Target> & Pick<Target, 'text' | 'value' | 'unit'>): Target {
  return { comparator: '=', period: null, deadline: null, ...partial };
}

const fixture = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url)), 'utf8');

describe('headings', () => {
  it('numbers 一、 (一) 1. (1) ① as nested paths and lists every heading in order', () => {
    const plan = parsePlan(
      buildPlan(
        '一、总体要求\n二、重点任务\n(一)青少年行动\n1.加强科学教育\n(1)开展竞赛\n①组织选拔\n2.丰富内涵\n(二)农民行动',
      ),
    );
    expect(plan.tasks.map((t) => [t.path, t.kind, t.title])).toEqual([
      ['1', 'part', '总体要求'],
      ['2', 'part', '重点任务'],
      ['2.1', 'group', '青少年行动'],
      ['2.1.1', 'task', '加强科学教育'],
      ['2.1.1.1', 'subtask', '开展竞赛'],
      ['2.1.1.1.1', 'item', '组织选拔'],
      ['2.1.2', 'task', '丰富内涵'],
      ['2.2', 'group', '农民行动'],
    ]);
  });

  it('reads a heading that runs into its text on one line ("1.加强科学教育。到2025年底…")', () => {
    const plan = parsePlan(buildPlan('一、重点任务\n1.加强科学教育。到2025年底,建成科普基地10个。'));
    expect(task(plan, '1.1').title).toBe('加强科学教育');
    expect(task(plan, '1.1').targets).toEqual([
      target({ text: '建成科普基地10个', value: 10, unit: '个', deadline: '2025-12-31' }),
    ]);
  });

  it('ends a run-in title at ":" too', () => {
    const plan = parsePlan(buildPlan('一、目标\n(一)主要目标:到2025年,比例达到15%。'));
    expect(task(plan, '1.1').title).toBe('主要目标');
    expect(task(plan, '1.1').targets.map((t) => [t.value, t.deadline])).toEqual([[15, '2025-12-31']]);
  });

  it('joins a title split over two lines', () => {
    const plan = parsePlan(
      buildPlan('一、重点任务\n(一)实施青少年科学素质\n提升行动\n1.加强科学教育。开展活动。'),
    );
    expect(task(plan, '1.1').title).toBe('实施青少年科学素质提升行动');
    expect(task(plan, '1.1.1').title).toBe('加强科学教育');
  });

  it('keeps printed numbers when task numbering continues across groups (or counts them on request)', () => {
    const doc = buildPlan('一、重点任务\n(一)青少年\n1.甲任务\n2.乙任务\n(二)农民\n3.丙任务\n4.丁任务');
    expect(parsePlan(doc).tasks.map((t) => t.path)).toEqual([
      '1',
      '1.1',
      '1.1.1',
      '1.1.2',
      '1.2',
      '1.2.3',
      '1.2.4',
    ]);
    expect(parsePlan(doc, { numbering: 'sequential' }).tasks.map((t) => t.path)).toEqual([
      '1',
      '1.1',
      '1.1.1',
      '1.1.2',
      '1.2',
      '1.2.1',
      '1.2.2',
    ]);
  });

  it('accepts 1、 1． and full-width （一） labels', () => {
    const plan = parsePlan(buildPlan('一、重点任务\n（一）青少年\n1、甲任务\n2．乙任务'));
    expect(plan.tasks.map((t) => [t.path, t.title])).toEqual([
      ['1', '重点任务'],
      ['1.1', '青少年'],
      ['1.1.1', '甲任务'],
      ['1.1.2', '乙任务'],
    ]);
  });
});

describe('responsible units', () => {
  it('reads "(责任单位:…等)" with the first unit leading and "等" dropped', () => {
    const plan = parsePlan(buildPlan('一、任务\n1.甲。开展活动。(责任单位:市教育局、市科协、团市委等)'));
    expect(task(plan, '1.1').units).toEqual(['市教育局', '市科协', '团市委']);
    expect(task(plan, '1.1').unitRoles.map((u) => u.role)).toEqual(['lead', 'co', 'co']);
  });

  it('reads 牵头单位/配合单位 on their own line', () => {
    const plan = parsePlan(
      buildPlan('一、任务\n1.甲。开展活动。\n牵头单位:市科协;配合单位:市教育局、市文广旅局'),
    );
    expect(task(plan, '1.1').unitRoles).toEqual([
      { name: '市科协', role: 'lead' },
      { name: '市教育局', role: 'co' },
      { name: '市文广旅局', role: 'co' },
    ]);
  });

  it('reads "(X牵头,Y按职责分工负责)" including several leads', () => {
    const plan = parsePlan(
      buildPlan('一、任务\n1.甲。开展活动。(市科技局、市科协牵头,市教育局、团市委按职责分工负责)'),
    );
    expect(task(plan, '1.1').unitRoles).toEqual([
      { name: '市科技局', role: 'lead' },
      { name: '市科协', role: 'lead' },
      { name: '市教育局', role: 'co' },
      { name: '团市委', role: 'co' },
    ]);
  });

  it('reads 【责任单位:…】 and keeps a unit whose name has parentheses ("各县(区)人民政府")', () => {
    const plan = parsePlan(buildPlan('一、任务\n1.甲。开展活动。【责任单位:市人社局、各县(区)人民政府】'));
    expect(task(plan, '1.1').units).toEqual(['市人社局', '各县(区)人民政府']);
  });

  it('does not take a decoy parenthesis for a unit block', () => {
    const plan = parsePlan(
      buildPlan('一、任务\n1.甲。各县(区)要落实《纲要》(国发〔2021〕9号)要求,高于全国(10.56%)。'),
    );
    expect(task(plan, '1.1').units).toEqual([]);
    expect(task(plan, '1.1').targets).toEqual([]);
  });

  it('reads a unit list split by a page break', () => {
    const plan = parsePlan(buildPlan('一、任务\n1.甲。开展活动。(责任单位:市教育局、市科\n— 3 —\n协等)'));
    expect(task(plan, '1.1').units).toEqual(['市教育局', '市科协']);
  });
});

describe('targets', () => {
  it('carries a deadline to every later clause of the sentence, splitting at "、" outside quotes', () => {
    const plan = parsePlan(
      buildPlan(
        '一、任务\n1.甲。到2025年底,全市创建15所“省级示范学校”、50所“市级示范学校”,建设10个“科学、技术”基地。',
      ),
    );
    expect(task(plan, '1.1').targets).toEqual([
      target({ text: '全市创建15所“省级示范学校”', value: 15, unit: '所', deadline: '2025-12-31' }),
      target({ text: '50所“市级示范学校”', value: 50, unit: '所', deadline: '2025-12-31' }),
      target({ text: '建设10个“科学、技术”基地', value: 10, unit: '个', deadline: '2025-12-31' }),
    ]);
  });

  it('reads comparators: 以上/不少于/超过/至少 ≥, 约/左右 ≈, 不超过/以内/以下 ≤', () => {
    const plan = parsePlan(
      buildPlan(
        '一、任务\n1.甲。建成基地10家以上,培训不少于300人,覆盖超过80%,至少5场,约20场次,500名左右,不超过8000人,控制在5%以内,3个以下。',
      ),
    );
    expect(task(plan, '1.1').targets.map((t) => [t.value, t.unit, t.comparator])).toEqual([
      [10, '家', '>='],
      [300, '人', '>='],
      [80, '%', '>='],
      [5, '场', '>='],
      [20, '场次', '≈'],
      [500, '名', '≈'],
      [8000, '人', '<='],
      [5, '%', '<='],
      [3, '个', '<='],
    ]);
  });

  it('marks 每年/年均/每年度 and a clause opening with 年 as annual, carried across "," but not past ";"', () => {
    const plan = parsePlan(
      buildPlan(
        '一、任务\n1.甲。每年培育农民1.2万名,其中带头人1800名以上;建成基地3个。年均举办活动12场。每年度评选50人。年科普活动覆盖面达到常住人口的80%以上。',
      ),
    );
    expect(task(plan, '1.1').targets.map((t) => [t.value, t.period])).toEqual([
      [12000, 'year'],
      [1800, 'year'],
      [3, null],
      [12, 'year'],
      [50, 'year'],
      [80, 'year'],
    ]);
  });

  it('reads Chinese numerals in a target context (建成三个, 十五所, 两千人) but not "三个方面" or "一项"', () => {
    const plan = parsePlan(
      buildPlan(
        '一、任务\n1.甲。到2025年,建成三个科普基地、十五所特色学校,培训两千人。主要表现在三个方面,是一项重要任务,实施五大行动。',
      ),
    );
    expect(task(plan, '1.1').targets.map((t) => [t.text, t.value, t.unit])).toEqual([
      ['建成三个科普基地', 3, '个'],
      ['十五所特色学校', 15, '所'],
      ['培训两千人', 2000, '人'],
    ]);
  });

  it('reads a number right after a comma but not the tail of "1,000"', () => {
    const plan = parsePlan(buildPlan('一、任务\n1.甲。到2025年底,15所学校达标,场馆年接待量达到1,000人次。'));
    expect(task(plan, '1.1').targets.map((t) => [t.text, t.value, t.period])).toEqual([
      ['15所学校达标', 15, null],
      ['场馆年接待量达到1,000人次', 1000, 'year'],
    ]);
  });

  it('applies 万/千 multipliers and full-width digits', () => {
    const plan = parsePlan(
      buildPlan(
        '一、任务\n1.甲。每年培养１２万名技能劳动者、1.5万名高技能人才、3千人次志愿者、２,５００人。',
      ),
    );
    expect(task(plan, '1.1').targets.map((t) => [t.value, t.unit])).toEqual([
      [120000, '名'],
      [15000, '名'],
      [3000, '人次'],
      [2500, '人'],
    ]);
  });

  it('treats past figures phrased like goals as baselines ("2020年达到11.7%")', () => {
    const plan = parsePlan(
      buildPlan(
        '一、前言\n全市比例从2010年的4.4%提升到2015年的7.5%,2020年达到11.7%,高于全国1.14个百分点。\n二、目标\n到2025年,比例由2020年的11.7%提高到15.5%。',
      ),
    );
    expect(task(plan, '1').targets).toEqual([]);
    expect(plan.baselines.map((b) => [b.value, b.year, b.path])).toEqual([
      [4.4, 2010, '1'],
      [7.5, 2015, '1'],
      [11.7, 2020, '1'],
      [11.7, 2020, '2'],
    ]);
    expect(task(plan, '2').targets).toEqual([
      target({ text: '比例由2020年的11.7%提高到15.5%', value: 15.5, unit: '%', deadline: '2025-12-31' }),
    ]);
  });

  it('ignores numbers in programme names ("百万技能人才", "“双百行动”", "十四五") and current facts', () => {
    const plan = parsePlan(
      buildPlan(
        '一、任务\n1.甲。强化百万技能人才竞赛,推进“双百行动”和“百千万”工程,“十四五”时期开展三个一百活动。全市现有科普基地120家。',
      ),
    );
    expect(task(plan, '1.1').targets).toEqual([]);
  });

  it('reads "至少配备1名" as ≥ and "“十四五”期间累计…" as cumulative by 2025', () => {
    const plan = parsePlan(
      buildPlan('一、任务\n1.甲。每所学校至少配备1名辅导员,每年培训2000人,“十四五”期间累计培训1万人次以上。'),
    );
    expect(task(plan, '1.1').targets.map((t) => [t.value, t.comparator, t.period, t.deadline])).toEqual([
      [1, '>=', null, null],
      [2000, '=', 'year', null],
      [10000, '>=', null, '2025-12-31'],
    ]);
  });

  it('reads a target across a page break inside the sentence', () => {
    const plan = parsePlan(
      buildPlan('一、任务\n1.甲。到2025年底,新评定市级科普教育\n\n- 4 -\n\n基地30家,省级10家以上。'),
    );
    expect(task(plan, '1.1').targets).toEqual([
      target({ text: '新评定市级科普教育基地30家', value: 30, unit: '家', deadline: '2025-12-31' }),
      target({ text: '省级10家以上', value: 10, unit: '家', comparator: '>=', deadline: '2025-12-31' }),
    ]);
  });

  it('reads month deadlines, "2025年目标:" paragraphs and "十四五末"', () => {
    const plan = parsePlan(
      buildPlan(
        '一、目标\n2025年目标:比例力争达到15.5%。科普基地达到40家。\n二、任务\n1.甲。到2024年6月底,组建服务团2个。到“十四五”末,建成科技馆1座。',
      ),
    );
    expect(task(plan, '1').targets.map((t) => t.deadline)).toEqual(['2025-12-31', '2025-12-31']);
    expect(task(plan, '2.1').targets.map((t) => [t.value, t.deadline])).toEqual([
      [2, '2024-06-30'],
      [1, '2025-12-31'],
    ]);
  });
});

describe('document identity', () => {
  it('reads title, issuer, document number and 印发 date', () => {
    const plan = parsePlan(
      '某某县人民政府办公室文件\n某政办发[2023]12号\n关于印发某某县全民科学素质行动实施方案的通知\n某某县全民科学素质行动\n实施方案\n一、目标\n抄送:县委办。\n某某县人民政府办公室\n2023年4月2日印发',
    );
    expect([plan.title, plan.issuer, plan.docNumber, plan.date]).toEqual([
      '某某县全民科学素质行动实施方案',
      '某某县人民政府办公室',
      '某政办发〔2023〕12号',
      '2023-04-02',
    ]);
  });

  it('reads a date in Chinese numerals under the signature and prefers the masthead docNumber over a cited one', () => {
    const plan = parsePlan(
      '某某市全民科学素质行动规划\n依据《纲要》(国发〔2021〕9号)。\n一、目标\n某某市人民政府\n二〇二三年六月十日',
    );
    expect(plan.date).toBe('2023-06-10');
    expect(plan.issuer).toBe('某某市人民政府');
    expect(plan.docNumber).toBeNull();
  });
});

describe('documents with every quirk at once', () => {
  it('parses the county fixture (split title, full-width, footer mid-sentence, three unit styles)', () => {
    const plan = parsePlan(fixture('county-quirks.txt'));
    expect(plan.title).toBe('某某县全民科学素质行动实施方案(2023—2025年)');
    expect(plan.docNumber).toBe('某政发〔2023〕7号');
    expect(plan.tasks.map((t) => t.path)).toEqual([
      '1',
      '2',
      '2.1',
      '2.1.1',
      '2.1.2',
      '2.2',
      '2.2.3',
      '2.2.3.1',
      '2.2.3.1.1',
      '3',
      '3.1',
    ]);
    expect(task(plan, '1').targets).toEqual([
      target({
        text: '全县公民具备科学素质的比例超过12%(全国为10.56%)',
        value: 12,
        unit: '%',
        comparator: '>=',
        deadline: '2025-12-31',
      }),
    ]);
    expect(plan.baselines.map((b) => [b.value, b.year])).toEqual([[9.1, 2022]]);
    expect(task(plan, '2.2.3').targets.map((t) => [t.text, t.comparator, t.period])).toEqual([
      ['每年培训高素质农民500名左右', '≈', 'year'],
      ['新建科普示范村10个以内', '<=', 'year'],
    ]);
    expect(task(plan, '2.2.3').units).toEqual(['县农业农村局', '县科协']);
    expect(task(plan, '2.1.2').unitRoles.map((u) => u.role)).toEqual(['lead', 'co', 'co']);
  });

  it('parses the city fixture (no notice, Chinese-numeral date, run-in headings)', () => {
    const plan = parsePlan(fixture('city-quirks.txt'));
    expect([plan.title, plan.issuer, plan.date]).toEqual([
      '某某市全民科学素质行动规划实施方案',
      '某某市人民政府',
      '2023-06-10',
    ]);
    expect(task(plan, '2.1.1').targets.map((t) => [t.value, t.unit])).toEqual([
      [3, '个'],
      [15, '所'],
      [2000, '人'],
    ]);
    expect(task(plan, '2.2.3').targets.map((t) => [t.value, t.deadline])).toEqual([[3000, '2024-12-31']]);
    expect(task(plan, '2.2.4').unitRoles).toEqual([{ name: '市应急管理局', role: 'lead' }]);
    expect(task(plan, '3').units).toEqual([]);
  });
});
