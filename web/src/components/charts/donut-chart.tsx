import type { EChartsOption } from 'echarts';
import { EChart } from './echart';

export interface DonutSlice {
  name: string;
  value: number;
  color?: string;
}

export interface DonutChartProps {
  slices: DonutSlice[];
  height?: number;
  ariaLabel: string;
  onSliceClick?: (index: number) => void;
}

/** The ECharts option of a donut from plain data (pure). Empty slices stay in the legend. */
export function donutOption(slices: DonutSlice[]): EChartsOption {
  return {
    tooltip: { trigger: 'item', formatter: '{b}：{c}（{d}%）' },
    legend: { bottom: 0 },
    series: [
      {
        type: 'pie',
        radius: ['45%', '70%'],
        label: { formatter: '{b}\n{c}' },
        data: slices.map((s) => ({
          name: s.name,
          value: s.value,
          ...(s.color ? { itemStyle: { color: s.color } } : {}),
        })),
      },
    ],
  };
}

/** Shares of a whole (indicator lights …); a click reports which slice. */
export function DonutChart({ slices, height = 280, ariaLabel, onSliceClick }: DonutChartProps) {
  return (
    <EChart
      option={donutOption(slices)}
      height={height}
      ariaLabel={ariaLabel}
      {...(onSliceClick ? { onItemClick: (i) => onSliceClick(i.dataIndex) } : {})}
    />
  );
}
