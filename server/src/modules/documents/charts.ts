import fs from 'node:fs';
import { renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';
import * as echarts from 'echarts';

/**
 * Charts of generated documents, drawn on the server: Apache ECharts renders SVG without a DOM (`ssr: true`), resvg
 * rasterises it to PNG (a Word document shows PNG everywhere; SVG only in new Word). Chinese labels need a CJK font:
 * the first of CJK_FONT_DIRS that exists is loaded (Debian's fonts-wqy-zenhei, else Noto CJK); without one the
 * chart is still drawn (labels may show as boxes).
 */

const CJK_FONT_DIRS = [
  '/usr/share/fonts/truetype/wqy',
  '/usr/share/fonts/opentype/noto',
  '/usr/share/fonts/truetype/noto',
  '/usr/share/fonts/wqy-zenhei',
];
const FONT_FAMILY = "'WenQuanYi Zen Hei', 'Noto Sans CJK SC', sans-serif";

let fontDirs: string[] | null = null;
function cjkFontDirs(): string[] {
  fontDirs ??= CJK_FONT_DIRS.filter((d) => fs.existsSync(d));
  return fontDirs;
}

/** A chart as PNG bytes with its size in pixels (drawn at twice that for print). */
export interface ChartImage {
  png: Buffer;
  width: number;
  height: number;
}

export interface BarSeries {
  name: string;
  data: (number | null)[];
  color: string;
}

/** Bars by category (vertical; horizontal when `horizontal`, for long unit names), one colour per series. */
export interface BarChartSpec {
  title: string;
  categories: string[];
  series: BarSeries[];
  /** Axis unit, e.g. '%' or '个'. */
  unit: string;
  horizontal?: boolean;
  stacked?: boolean;
  /** Value axis maximum (100 for percentages). */
  max?: number;
}

const WIDTH = 600;

function svgOf(spec: BarChartSpec, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    const category = {
      type: 'category' as const,
      data: spec.categories,
      axisLabel: {
        interval: 0,
        fontSize: 11,
        ...(spec.horizontal ? {} : { rotate: spec.categories.length > 6 ? 30 : 0 }),
      },
      inverse: spec.horizontal === true,
    };
    const value = { type: 'value' as const, name: spec.unit, max: spec.max, axisLabel: { fontSize: 11 } };
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: FONT_FAMILY },
      title: { text: spec.title, left: 'center', textStyle: { fontSize: 15, fontWeight: 'normal' } },
      legend: spec.series.length > 1 ? { bottom: 0, textStyle: { fontSize: 11 } } : undefined,
      grid: { left: 12, right: 24, top: 44, bottom: spec.series.length > 1 ? 32 : 12, containLabel: true },
      xAxis: spec.horizontal ? value : category,
      yAxis: spec.horizontal ? category : value,
      series: spec.series.map((s) => ({
        type: 'bar',
        name: s.name,
        data: s.data,
        itemStyle: { color: s.color },
        stack: spec.stacked ? 'all' : undefined,
        barMaxWidth: 28,
        label: {
          show: !spec.stacked,
          position: spec.horizontal ? 'right' : 'top',
          fontSize: 10,
          formatter: (p: { value: number | null }) => (p.value === null ? '' : String(p.value)),
        },
      })),
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/**
 * The SVG rasterised at twice its size, on libuv's thread pool (resvg lays out each text with the font read again
 * from its file: ~20 ms a label with the 17 MB CJK collection, over a second for a 30-unit chart; a document's charts
 * render side by side and the event loop stays free). CJK fonts from the system's font folders when present.
 */
export async function svgToPng(svg: string): Promise<Buffer> {
  const dirs = cjkFontDirs();
  const options: ResvgRenderOptions = {
    fitTo: { mode: 'zoom', value: 2 },
    background: '#ffffff',
    font: {
      loadSystemFonts: dirs.length === 0,
      fontDirs: dirs,
      defaultFontFamily: 'WenQuanYi Zen Hei',
      sansSerifFamily: 'WenQuanYi Zen Hei',
    },
  };
  return (await renderAsync(svg, options)).asPng();
}

/** A bar chart as a PNG: 600 px wide, taller with more bars when horizontal. */
export async function barChart(spec: BarChartSpec): Promise<ChartImage> {
  const height = spec.horizontal ? Math.max(240, 80 + spec.categories.length * 22) : 320;
  return { png: await svgToPng(svgOf(spec, WIDTH, height)), width: WIDTH, height };
}
