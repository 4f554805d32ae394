import {
  MARGIN_DIMENSION_LABELS,
  SCORING_RULE_LABELS,
  SURVEY_ROLE_LABELS,
  type SurveyEstimate,
  type SurveyRole,
  type SurveyWave,
} from '@kesu/shared';

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
  const args = [
    `ids = ${d.clusters ? `~${col(d.clusters)}` : '~1'}`,
    ...(d.strata ? [`strata = ~${col(d.strata)}`] : []),
    `weights = ~${col(d.weights)}`,
    ...(d.fpc ? [`fpc = ~${col(d.fpc)}`] : []),
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
  if (e.method === 'jkn') lines.push('des <- as.svrepdesign(des, type = "JKn")');
  const v = col(e.variable);
  if (e.by === null) {
    lines.push(`svymean(~${v}, des, na.rm = TRUE, deff = TRUE)`);
    if (e.ciLow !== null) lines.push(`svyciprop(~${v}, des, method = "xlogit")`);
  } else {
    const g = col(e.by);
    lines.push(`svyby(~${v}, ~${g}, des, svymean, na.rm = TRUE, deff = TRUE)`);
    if (e.ciLow !== null)
      lines.push(`svyciprop(~${v}, subset(des, ${g} == ${rString(e.domain ?? '')}), method = "xlogit")`);
  }
  return lines.join('\n');
}

export function methodNote(wave: SurveyWave, e: SurveyEstimate, generatedAt: string): string {
  const d = wave.design;
  const isRate = e.ciLow !== null && e.ciHigh !== null;
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
  const methodText =
    e.method === 'linearization'
      ? 'Taylor 线性化方差（R `svymean`，按层内 PSU 总量的离差平方和）'
      : e.method === 'raking'
        ? '按人口边际进行 raking 校准（R `rake`），方差计入校准的影响（线性化）'
        : '刀切法复制权数 JKn（R `as.svrepdesign(type = "JKn")` 的默认设置）';
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
    `- 估计值：**${value}**${isRate ? `，95% 置信区间 ${pct(e.ciLow!)} – ${pct(e.ciHigh!)}` : '（均值不给出置信区间）'}`,
    `- 标准误：${seText}；变异系数 CV：${e.cv === null ? '—' : e.cv.toFixed(3)}；设计效应 deff：${e.deff === null ? '—' : e.deff.toFixed(3)}`,
    `- 样本量 n：${e.n}（该指标有观测值的受访者）；有效样本量 n/deff：${e.deff ? Math.round(e.n / e.deff) : '—'}`,
    `- 设计自由度 df：${e.df}（R \`degf()\`：含该子总体受访者的 PSU 数减去层数）`,
    ...(warn.length ? [`- **小样本提示**：${warn.join('；')}。该数字不够稳定，解读须谨慎。`] : []),
    '',
    '## 方法',
    '',
    `- 调查轮次：${wave.name}（${wave.year} 年），数据文件 \`${wave.sourceFileName}\`，${wave.rows} 条记录`,
    `- 评分规则：${SCORING_RULE_LABELS[wave.scoringRule]}（\`${wave.scoringRule}\`）；不同规则的比例不可直接比较`,
    `- 抽样设计：${d.strata ? '分层' : '不分层'}、${d.clusters ? '整群（第一阶段 PSU，嵌套于层内）' : '无整群（逐个抽取）'}，权数为入样概率的倒数${d.fpc ? '，含有限总体校正' : '，不作有限总体校正（放回近似）'}；单 PSU 层处理：\`${d.lonelyPsu}\``,
    `- 方差估计：${methodText}`,
    `- 校准边际：${e.method === 'raking' ? margins : '不校准'}`,
    isRate
      ? `- 置信区间：logit 变换区间（R \`svyciprop(method = "xlogit")\`）：logit(p̂) ± t(df = ${e.df}, 0.975)·SE / (p̂(1−p̂))，再反变换`
      : '- 置信区间：不适用（得分为均值）',
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
