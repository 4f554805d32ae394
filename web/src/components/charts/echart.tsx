import type { EChartsOption } from 'echarts';
import { useEffect, useRef, useState } from 'react';

type EChartsModule = typeof import('echarts');
type Instance = ReturnType<EChartsModule['init']>;

interface Props {
  /** Plain ECharts option data: series, axes, labels. No functions needed for our charts. */
  option: EChartsOption;
  height?: number | string;
  /** What the chart shows, for screen readers. */
  ariaLabel: string;
  /** Called with the clicked item (bar, slice, cell): its series and data index, and its name. Optional. */
  onItemClick?: (item: { seriesIndex: number; dataIndex: number; name: string }) => void;
}

let loading: Promise<EChartsModule> | null = null;
/** echarts is imported on first use, so pages without charts (login) never download it. */
function loadECharts(): Promise<EChartsModule> {
  loading ??= import('echarts');
  return loading;
}

/** The one ECharts wrapper: mounts on a div, follows `option`, resizes with its box, disposes on unmount. */
export function EChart({ option, height = 320, ariaLabel, onItemClick }: Props) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<Instance | null>(null);
  const [failed, setFailed] = useState(false);
  const latest = useRef(option);
  latest.current = option;
  const click = useRef(onItemClick);
  click.current = onItemClick;

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | undefined;
    loadECharts().then(
      (echarts) => {
        if (disposed || !el.current) return;
        chart.current = echarts.init(el.current, undefined, { renderer: 'svg' });
        chart.current.setOption(latest.current);
        chart.current.on('click', (p) =>
          click.current?.({
            seriesIndex: p.seriesIndex ?? 0,
            dataIndex: p.dataIndex ?? 0,
            name: String(p.name ?? ''),
          }),
        );
        if (typeof ResizeObserver !== 'undefined') {
          observer = new ResizeObserver(() => chart.current?.resize());
          observer.observe(el.current);
        }
      },
      () => setFailed(true),
    );
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
    // Mount once; option updates go through setOption below.
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  if (failed) return <div role="alert">图表加载失败，请刷新页面重试</div>;
  return <div ref={el} role="img" aria-label={ariaLabel} style={{ width: '100%', height }} />;
}
