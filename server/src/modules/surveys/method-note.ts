import {
  CI_METHOD_LABELS,
  ESTIMATE_FLAG_LABELS,
  ESTIMATE_METHOD_LABELS,
  MARGIN_DIMENSION_LABELS,
  SCORING_RULE_LABELS,
  SURVEY_ROLE_LABELS,
  type SurveyEstimate,
  type SurveyRole,
  type SurveyWave,
  stageColumns,
} from '@kesu/shared';
import { Marked } from 'marked';

/**
 * The method note of one figure (markdown): what was estimated, from which design, how, with which precision, and
 * the R call that reproduces it (R `survey` 4.1, the reference @kesu/stats is tested against).
 */

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

/** The column name of the uploaded file a role came from (derived columns keep the role name). */
function fileColumn(wave: SurveyWave, role: string): string {
  return wave.mapping[role as SurveyRole] ?? role;
}

/** An R name: bare when syntactic, back-quoted otherwise. */
function rName(name: string): string {
  return /^[A-Za-z.][A-Za-z0-9._]*$/.test(name) ? name : `\`${name.replace(/`/g, '\\`')}\``;
}

const rString = (s: string) => JSON.stringify(s);

function rCall(wave: SurveyWave, e: SurveyEstimate): string {
  const d = wave.design;
  const col = (role: string) => rName(fileColumn(wave, role));
  const lines = ['library(survey)', `options(survey.lonely.psu = ${rString(d.lonelyPsu)})`];
  const clusters = stageColumns(d.clusters);
  const fpc = stageColumns(d.fpc);
  const args = [
    `ids = ${clusters.length ? `~${clusters.map(col).join(' + ')}` : '~1'}`,
    ...(d.strata ? [`strata = ~${col(d.strata)}`] : []),
    `weights = ~${col(d.weights)}`,
    ...(fpc.length ? [`fpc = ~${fpc.map(col).join(' + ')}`] : []),
    'data = df',
    'nest = TRUE',
  ];
  lines.push(`des <- svydesign(${args.join(', ')})`);
  if (e.method === 'raking' && d.raking) {
    const formulas: string[] = [];
    const totals: string[] = [];
    for (const m of d.raking.margins) {
      const parts = m.variable.split(':');
      formulas.push(`~${parts.map(col).join(' + ')}`);
      const levels = Object.keys(m.totals);
      const cols = parts.map(
        (p, k) => `${col(p)} = c(${levels.map((l) => rString(l.split(',')[k] ?? '')).join(', ')})`,
      );
      totals.push(`data.frame(${cols.join(', ')}, Freq = c(${levels.map((l) => m.totals[l]).join(', ')}))`);
    }
    lines.push(
      `des <- rake(des, list(${formulas.join(', ')}),`,
      `            list(${totals.join(',\n                 ')}),`,
      `            control = list(maxit = ${d.raking.maxIter}, epsilon = ${d.raking.epsilon}))`,
    );
  }
  const repTypes: Partial<Record<SurveyEstimate['method'], string>> = {
    jkn: 'JKn',
    jk1: 'JK1',
    brr: 'BRR',
    bootstrap: 'bootstrap',
  };
  if (repTypes[e.method]) lines.push(`des <- as.svrepdesign(des, type = "${repTypes[e.method]}")`);
  const v = col(e.variable);
  if (e.by === null) {
    lines.push(`svymean(~${v}, des, na.rm = TRUE, deff = TRUE)`);
    if (e.ciLow !== null && e.kind === 'proportion')
      lines.push(`svyciprop(~${v}, des, method = "xlogit", na.rm = TRUE)`);
    else if (e.ciLow !== null) lines.push(`confint(svymean(~${v}, des, na.rm = TRUE), df = degf(des))`);
  } else {
    const g = col(e.by);
    const sub = `subset(des, ${g} == ${rString(e.domain ?? '')})`;
    lines.push(`svyby(~${v}, ~${g}, des, svymean, na.rm = TRUE, deff = TRUE)`);
    if (e.ciLow !== null && e.kind === 'proportion')
      lines.push(`svyciprop(~${v}, ${sub}, method = "xlogit", na.rm = TRUE)`);
    else if (e.ciLow !== null) lines.push(`confint(svymean(~${v}, ${sub}, na.rm = TRUE), df = degf(${sub}))`);
  }
  return lines.join('\n');
}

export function methodNote(wave: SurveyWave, e: SurveyEstimate, generatedAt: string): string {
  const d = wave.design;
  const isRate = e.kind === 'proportion';
  const hasCi = e.ciLow !== null && e.ciHigh !== null;
  const what =
    e.variable === 'literate'
      ? '公民具备科学素质的比例'
      : e.variable === 'score'
        ? '科学素质得分均值'
        : e.variable;
  const scope =
    e.by === null ? '全体（18–69 岁）' : `${SURVEY_ROLE_LABELS[e.by as SurveyRole] ?? e.by}＝${e.domain}`;
  const value = isRate ? pct(e.estimate) : e.estimate.toFixed(2);
  const seText = isRate ? `${(e.se * 100).toFixed(2)} 个百分点` : e.se.toFixed(4);
  const warn: string[] = [];
  if (e.n < 30) warn.push(`样本量 n = ${e.n} < 30`);
  if (e.cv !== null && e.cv > 0.3) warn.push(`变异系数 CV = ${e.cv.toFixed(3)} > 0.3`);
  const stages = stageColumns(d.clusters).length;
  const methodText =
    e.method === 'linearization'
      ? stages > 1 && stageColumns(d.fpc).length > 1
        ? 'Taylor 线性化方差，多阶段（R `svymean`：第一阶段按层内 PSU 总量的离差平方和，第二阶段按各 PSU 内单位总量的离差平方和，乘以第一阶段抽样比）'
        : 'Taylor 线性化方差（R `svymean`，按层内 PSU 总量的离差平方和）'
      : e.method === 'raking'
        ? '按人口边际进行 raking 校准（R `rake`），方差计入校准的影响（线性化）'
        : `${ESTIMATE_METHOD_LABELS[e.method]}（R \`as.svrepdesign\` 的默认设置）`;
  const flagLines = e.flags.map(
    (f) => `- **${ESTIMATE_FLAG_LABELS[f].short}**：${ESTIMATE_FLAG_LABELS[f].text}。`,
  );
  const ciText = !hasCi
    ? '无（见上方说明）'
    : `${isRate ? pct(e.ciLow!) : e.ciLow!.toFixed(2)} – ${isRate ? pct(e.ciHigh!) : e.ciHigh!.toFixed(2)}`;
  const margins = d.raking
    ? d.raking.margins
        .map((m) => {
          const dim = Object.entries({
            gender: 'sex',
            'gender:age_group': 'sex_age',
            area: 'area',
            education: 'education',
            district: 'county',
          }).find(([v]) => v === m.variable)?.[1] as keyof typeof MARGIN_DIMENSION_LABELS | undefined;
          return `${dim ? MARGIN_DIMENSION_LABELS[dim] : m.variable}（${Object.keys(m.totals).length} 类）`;
        })
        .join('、')
    : '无';
  const mapping = Object.entries(wave.mapping)
    .map(([role, c]) => `| ${SURVEY_ROLE_LABELS[role as SurveyRole] ?? role} | \`${c}\` |`)
    .join('\n');
  const lines = [
    `# 方法说明：${wave.name} — ${what}（${scope}）`,
    '',
    '## 结果',
    '',
    `- 估计值：**${value}**（${isRate ? '比例' : '均值'}），95% 置信区间：${ciText}${e.ciMethod ? `（${CI_METHOD_LABELS[e.ciMethod]}）` : ''}`,
    ...flagLines,
    `- 标准误：${seText}；变异系数 CV：${e.cv === null ? '—' : e.cv.toFixed(3)}；设计效应 deff：${e.deff === null ? '—' : e.deff.toFixed(3)}`,
    `- 样本量 n：${e.n}（该指标有观测值的受访者）；有效样本量 n/deff：${e.deff ? Math.round(e.n / e.deff) : '—'}`,
    `- 设计自由度 df：${e.df}（R \`degf()\`：含该子总体受访者的 PSU 数减去层数）`,
    ...(warn.length ? [`- **小样本提示**：${warn.join('；')}。该数字不够稳定，解读须谨慎。`] : []),
    '',
    '## 方法',
    '',
    `- 调查轮次：${wave.name}（${wave.year} 年），数据文件 \`${wave.sourceFileName}\`，${wave.rows} 条记录`,
    `- 评分规则：${SCORING_RULE_LABELS[wave.scoringRule]}（\`${wave.scoringRule}\`）；不同规则的比例不可直接比较`,
    `- 抽样设计：${d.strata ? '分层' : '不分层'}、${stages > 1 ? `${stages} 阶段整群（PSU 嵌套于层内，后一阶段单位嵌套于前一阶段单位内）` : stages ? '整群（第一阶段 PSU，嵌套于层内）' : '无整群（逐个抽取）'}，权数为入样概率的倒数${d.fpc ? `，含有限总体校正（${stageColumns(d.fpc).length} 个阶段）` : '，不作有限总体校正（放回近似）'}；单 PSU 层处理：\`${d.lonelyPsu}\``,
    `- 方差估计：${methodText}`,
    `- 校准边际：${e.method === 'raking' ? margins : '不校准'}`,
    isRate
      ? `- 置信区间：logit 变换区间（R \`svyciprop(method = "xlogit")\`）：logit(p̂) ± t(df = ${e.df}, 0.975)·SE / (p̂(1−p̂))，再反变换；估计恰为 0 或 1 时无定义`
      : `- 置信区间：均值的 Wald 区间（R \`confint(svymean(…), df = degf(…))\`）：估计 ± t(df = ${e.df}, 0.975)·SE`,
    `- 子总体估计保留全部设计（R \`svyby\`），不是删去其他行后的子样本`,
    '- 计算引擎：kesu @kesu/stats，逐项与 R `survey` 4.1 的结果核对（相对误差 < 1e-8）',
    '',
    '## 等价的 R 调用',
    '',
    '```r',
    `df <- read.csv(${rString(wave.sourceFileName)}, fileEncoding = "UTF-8")`,
    rCall(wave, e),
    '```',
    '',
    '## 列映射',
    '',
    '| 用途 | 文件中的列 |',
    '| --- | --- |',
    mapping,
    ...(wave.mapping.age && !wave.mapping.age_group
      ? ['', '年龄组（age_group）由年龄按 18–29、30–39、40–49、50–59、60–69 岁派生。']
      : []),
    '',
    `生成时间：${generatedAt}`,
    '',
  ];
  return lines.join('\n');
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Markdown → HTML where raw HTML in the text (a wave name, a column name) is shown as text, never run. */
const markdown = new Marked({ gfm: true, renderer: { html: ({ text }) => escapeHtml(text) } });

/** The method note as a standalone HTML page (UTF-8, printable), for `?format=html`. */
export function methodNoteHtml(md: string, title: string): string {
  const body = markdown.parse(md, { async: false });
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:860px;margin:2em auto;padding:0 1em;line-height:1.6}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}pre{background:#f6f6f6;padding:1em;overflow-x:auto}</style>
</head><body>
${body}</body></html>
`;
}
