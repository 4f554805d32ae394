import type { PlanRateTarget } from '@kesu/shared';

/** Xuzhou's survey-rate target as the server gives it (徐政发〔2022〕13号: 15.5% by 2025, baseline 11.7% in 2020). */
export const XUZHOU_RATE_TARGET: PlanRateTarget = {
  indicatorId: '01J0000000000000000000000T',
  planTitle: '徐州市全民科学素质行动规划实施方案',
  text: '公民具备科学素质的比例力争达到15.5%',
  comparator: '>=',
  value: 15.5,
  year: 2025,
  deadline: '2025-12-31',
  baseline: { value: 11.7, year: 2020 },
};
