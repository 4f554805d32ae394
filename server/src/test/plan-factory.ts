/** One task of a plan draft as the import API takes it (a part at depth 1, an item below). */
export function draftTask(
  path: string,
  depth: number,
  title: string,
  units: { name: string; role: 'lead' | 'co' }[],
  targets: unknown[],
) {
  return {
    path,
    label: path,
    kind: depth === 1 ? 'part' : 'item',
    depth,
    title,
    units,
    targets,
    spans: null,
  };
}

/** A plan draft as the import API takes it: the tasks under a title made unique for the test database. */
export function planDraft(tasks: ReturnType<typeof draftTask>[], title = '测试规划') {
  return {
    title: `${title}${Math.random()}`,
    issuer: null,
    docNumber: null,
    date: '2022-05-13',
    fileName: null,
    sourceText: '测试',
    tasks,
    baselines: [],
    warnings: [],
  };
}

/**
 * A small plan for module tests, as the import API takes it: part 1 with two tasks —
 * 1.1 "创建科学教育示范学校" led by `lead` with `co` co-operating, one cumulative target (15 所 by 2025-12-31);
 * 1.2 "科普活动覆盖" led by `lead`, one annual population-share target (≥ 80% of county residents).
 */
export function buildTwoTaskPlanDraft(lead: { name: string }, co: { name: string }, title = '测试规划') {
  const task = draftTask;
  return planDraft(
    [
      task('1', 1, '青少年科学素质提升行动', [], []),
      task(
        '1.1',
        2,
        '创建科学教育示范学校',
        [
          { name: lead.name, role: 'lead' },
          { name: co.name, role: 'co' },
        ],
        [
          {
            text: '到2025年底创建15所示范学校',
            value: 15,
            unit: '所',
            comparator: '>=',
            period: null,
            deadline: '2025-12-31',
          },
        ],
      ),
      task(
        '1.2',
        2,
        '科普活动覆盖',
        [{ name: lead.name, role: 'lead' }],
        [
          {
            text: '年科普活动覆盖面达到县域常住人口的80%以上',
            value: 80,
            unit: '%',
            comparator: '>=',
            period: 'year',
            deadline: null,
          },
        ],
      ),
    ],
    title,
  );
}

/**
 * A draft of a small county 实施方案 without targets: a top-level part and its tasks ('1.1' …), each led by `unit`
 * (the import then needs no unit mapping). `tasks` are the titles, in order; the first is the part's.
 */
export function buildCountyDraft(opts: {
  title: string;
  date: string;
  unit: string;
  part: string;
  tasks: string[];
}) {
  const task = (path: string, depth: number, title: string) => ({
    path,
    label: path,
    kind: depth === 1 ? 'part' : 'item',
    depth,
    title,
    units: depth === 1 ? [] : [{ name: opts.unit, role: 'lead' }],
    targets: [],
    spans: null,
  });
  return {
    title: opts.title,
    issuer: null,
    docNumber: null,
    date: opts.date,
    fileName: null,
    sourceText: opts.title,
    tasks: [task('1', 1, opts.part), ...opts.tasks.map((t, i) => task(`1.${i + 1}`, 2, t))],
    baselines: [],
    warnings: [],
  };
}
