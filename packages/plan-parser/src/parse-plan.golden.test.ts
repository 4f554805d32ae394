import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ParsedPlanSchema, PlanDocumentSchema, parsePlan, toPlanDocument } from './index';

const fixture = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`../../../fixtures/plans/${name}`, import.meta.url)), 'utf8');

// The golden of docs/DOMAIN.md §6: 徐州市全民科学素质行动规划实施方案 (徐政发〔2022〕13号).
describe('徐州 2022 golden', () => {
  const text = fixture('xuzhou-2022.txt');
  const expected: unknown = JSON.parse(fixture('xuzhou-2022.expected.json'));
  const plan = parsePlan(text);

  it('deep-equals the golden on every golden field', () => {
    expect(toPlanDocument(plan)).toEqual(expected);
    expect(PlanDocumentSchema.parse(expected)).toEqual(expected);
  });

  it('validates against its own output schema', () => {
    expect(() => ParsedPlanSchema.parse(plan)).not.toThrow();
  });

  it('keeps the historical figures as baselines, never as targets', () => {
    expect(plan.baselines.map((b) => [b.value, b.unit, b.year])).toEqual([
      [4.4, '%', 2010],
      [7.5, '%', 2015],
      [11.7, '%', 2020],
    ]);
    const values = plan.tasks.flatMap((t) => t.targets.map((g) => g.value));
    expect(values).not.toContain(11.7);
    expect(values).not.toContain(1.14);
  });

  it('marks the first unit of each task as lead (牵头), the rest as co-operating', () => {
    const task = plan.tasks.find((t) => t.path === '3.1.1');
    expect(task?.unitRoles).toEqual([
      { name: '市教育局', role: 'lead' },
      { name: '市人社局', role: 'co' },
      { name: '团市委', role: 'co' },
      { name: '市科协', role: 'co' },
    ]);
  });

  it('gives spans that point at the heading, each unit and each target clause in sourceText', () => {
    const src = plan.sourceText;
    for (const task of plan.tasks) {
      expect(src.slice(task.spans.heading.start, task.spans.heading.end)).toBe(`${task.label}${task.title}`);
      expect(task.spans.units.map((s) => src.slice(s.start, s.end))).toEqual(task.units);
      expect(task.spans.targets.map((s) => src.slice(s.start, s.end))).toEqual(
        task.targets.map((g) => g.text),
      );
    }
    for (const b of plan.baselines) expect(src.slice(b.span.start, b.span.end)).toBe(b.text);
  });

  it('joins the page break inside "领导小组" and the unit list split after "市科"', () => {
    expect(plan.sourceText).toContain('全民科学素质工作领导小组职能作用');
    expect(plan.tasks.find((t) => t.path === '3.3.2')?.units).toContain('市科协');
  });
});
