import type { EChartsOption } from 'echarts';
import { EChart } from './echart';

export interface BarSeries {
  name: string;
  /** One value per category; null = no data (no bar, never 0). */
  values: (number | null)[];
  color?: string;
}

export interface BarChartProps {
  categories: string[];
  series: BarSeries[];
  /** Horizontal bars (long Chinese labels read better down the side). */
  horizontal?: boolean;
  stacked?: boolean;
  /** Values are shares 0..1, shown as percentages. */
  percent?: boolean;
  height?: number;
  ariaLabel: string;
  onBarClick?: (categoryIndex: number, seriesIndex: number) => void;
}

/** The ECharts option of a bar chart from plain data (pure, so it is tested without a canvas). */
export function barOption(p: Omit<BarChartProps, 'ariaLabel' | 'onBarClick' | 'height'>): EChartsOption {
  const valueAxis = {
    type: 'value' as const,
    ...(p.percent ? { max: 1, axisLabel: { formatter: '{value}' } } : {}),
  };
  const categoryAxis = { type: 'category' as const, data: p.categories, axisLabel: { interval: 0 } };
  return {
    tooltip: { trigger: 'axis' },
    legend: p.series.length > 1 ? { top: 0 } : { show: false },
    grid: { left: 8, right: 24, top: p.series.length > 1 ? 32 : 8, bottom: 8, containLabel: true },
    xAxis: p.horizontal ? valueAxis : categoryAxis,
    yAxis: p.horizontal ? { ...categoryAxis, inverse: true } : valueAxis,
    series: p.series.map((s) => ({
      type: 'bar' as const,
      name: s.name,
      data: s.values.map((v) => (v === null ? null : p.percent ? Math.round(v * 1000) / 1000 : v)),
      ...(p.stacked ? { stack: 'total' } : {}),
      ...(s.color ? { itemStyle: { color: s.color } } : {}),
      label: {
        show: !p.stacked,
        position: p.horizontal ? ('right' as const) : ('top' as const),
        ...(p.percent ? { formatter: '{c}' } : {}),
      },
    })),
  };
}

/** Bars by category (progress by group, reports by unit …); a click reports which bar. */
export function BarChart({ height, ariaLabel, onBarClick, ...data }: BarChartProps) {
  return (
    <EChart
      option={barOption(data)}
      height={height ?? Math.max(240, data.horizontal ? data.categories.length * 32 + 40 : 320)}
      ariaLabel={ariaLabel}
      {...(onBarClick ? { onItemClick: (i) => onBarClick(i.dataIndex, i.seriesIndex) } : {})}
    />
  );
}
