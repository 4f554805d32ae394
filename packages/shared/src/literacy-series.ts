/**
 * Published rates of citizens with scientific literacy (公民具备科学素质的比例), in percent, as released: point
 * estimates without standard errors or confidence intervals. Shown beside survey waves, always marked as published
 * points. Figures and sources as listed in docs/DOMAIN.md §4; never add a figure without its source.
 */
export interface PublishedPoint {
  year: number;
  /** Percent. */
  value: number;
  source: string;
}

export interface PublishedSeries {
  id: 'national' | 'jiangsu' | 'xuzhou';
  label: string;
  points: readonly PublishedPoint[];
}

const CAST = '中国科协 / 中国科普研究所《中国公民科学素质抽样调查》发布结果';
const XUZHOU_PLAN = '《徐州市全民科学素质行动规划实施方案》（徐政发〔2022〕13号）';

export const NATIONAL_SERIES: PublishedSeries = {
  id: 'national',
  label: '全国',
  points: [
    { year: 2010, value: 3.27, source: CAST },
    { year: 2015, value: 6.2, source: CAST },
    { year: 2020, value: 10.56, source: CAST },
    { year: 2022, value: 12.93, source: CAST },
    { year: 2023, value: 14.14, source: CAST },
    { year: 2024, value: 15.37, source: CAST },
  ],
};

export const JIANGSU_SERIES: PublishedSeries = {
  id: 'jiangsu',
  label: '江苏省',
  points: [
    { year: 2020, value: 13.84, source: CAST },
    { year: 2022, value: 15.89, source: CAST },
  ],
};

/** The plan's own baselines (facts, not targets). */
export const XUZHOU_BASELINES: PublishedSeries = {
  id: 'xuzhou',
  label: '徐州市（规划基线）',
  points: [
    { year: 2010, value: 4.4, source: XUZHOU_PLAN },
    { year: 2015, value: 7.5, source: XUZHOU_PLAN },
    { year: 2020, value: 11.7, source: XUZHOU_PLAN },
  ],
};

export interface LiteracyTarget {
  year: number;
  /** Percent. */
  value: number;
  comparator: '>=' | '>';
  label: string;
  source: string;
}

// Xuzhou's own target (15.5% by 2025) is not a constant here: it is the plan's survey-rate indicator, read from the
// imported plan (server: surveys/survey-headline.ts planRateTarget).

export const NATIONAL_TARGETS: readonly LiteracyTarget[] = [
  {
    year: 2025,
    value: 15,
    comparator: '>',
    label: '全国 2025 年目标',
    source: '《全民科学素质行动规划纲要（2021—2035年）》（国发〔2021〕9号）',
  },
  {
    year: 2035,
    value: 25,
    comparator: '>=',
    label: '全国 2035 年目标',
    source: '《全民科学素质行动规划纲要（2021—2035年）》（国发〔2021〕9号）',
  },
];

/** National 2023 rates by group (percent), for comparing breakdowns. */
export const NATIONAL_2023_BY_GROUP: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  area: { 城镇: 17.25, 乡村: 9.16 },
  gender: { 男: 15.66, 女: 12.53 },
  age_group: { '18-29': 25.72, '30-39': 19.0, '40-49': 13.23, '50-59': 8.52, '60-69': 4.45 },
};

/** Census 2020 (第七次全国人口普查) figures given in docs/DOMAIN.md §2; other counties are entered by the admin. */
export const XUZHOU_CENSUS_2020 = {
  year: 2020,
  total: 9_083_790,
  male: 4_579_072,
  female: 4_504_718,
  counties: { 泉山区: 619_784 } as Readonly<Record<string, number>>,
  source: '第七次全国人口普查（2020）',
} as const;
