import { describe, expect, it } from 'vitest';
import { barOption } from './bar-chart';
import { donutOption } from './donut-chart';

describe('chart wrappers', () => {
  it('a bar chart keeps "no data" as a gap, not 0, and puts categories on the side when horizontal', () => {
    const o = barOption({
      categories: ['青少年', '农民'],
      series: [{ name: '完成度', values: [0.4567, null], color: '#52c41a' }],
      horizontal: true,
      percent: true,
    });
    expect(o.yAxis).toMatchObject({ type: 'category', data: ['青少年', '农民'], inverse: true });
    expect(o.xAxis).toMatchObject({ type: 'value', max: 1 });
    const series = o.series as { data: (number | null)[]; itemStyle: { color: string } }[];
    expect(series[0]!.data).toEqual([0.457, null]);
    expect(series[0]!.itemStyle.color).toBe('#52c41a');
  });

  it('stacked bars share one stack and show a legend', () => {
    const o = barOption({
      categories: ['市教育局'],
      series: [
        { name: '按时', values: [3] },
        { name: '逾期', values: [1] },
      ],
      stacked: true,
    });
    const series = o.series as { stack: string }[];
    expect(series.map((s) => s.stack)).toEqual(['total', 'total']);
    expect(o.legend).toMatchObject({ top: 0 });
  });

  it('a donut lists every slice, empty ones included', () => {
    const o = donutOption([
      { name: '正常', value: 2 },
      { name: '无数据', value: 0 },
    ]);
    const data = (o.series as { data: { name: string; value: number }[] }[])[0]!.data;
    expect(data).toEqual([
      { name: '正常', value: 2 },
      { name: '无数据', value: 0 },
    ]);
  });
});
