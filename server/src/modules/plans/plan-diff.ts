import type { DraftTarget, PlanDiff } from '@kesu/shared';

/** A task as the diff compares it: units as "name:role" keys in order, targets in the golden shape. */
export interface DiffTask {
  path: string;
  title: string;
  units: { name: string; role: 'lead' | 'co' }[];
  targets: DraftTarget[];
}

const unitKey = (u: DiffTask['units'][number]) => `${u.name}:${u.role}`;
const unitLabel = (u: DiffTask['units'][number]) => (u.role === 'lead' ? `${u.name}（牵头）` : u.name);
const targetKey = (t: DraftTarget) =>
  JSON.stringify([t.text, t.value, t.unit, t.comparator, t.period, t.deadline]);

/**
 * What changed between two versions of a plan. Tasks are paired first by path and title, then by title alone (a
 * renumbered task is "changed", not removed and added), then by path alone (a retitled task); whatever is left is
 * added or removed. Pure.
 */
export function diffTasks(
  before: DiffTask[],
  after: DiffTask[],
): Pick<PlanDiff, 'tasksAdded' | 'tasksRemoved' | 'tasksChanged' | 'targetsChanged'> {
  const pairs: [DiffTask, DiffTask][] = [];
  const usedBefore = new Set<DiffTask>();
  const usedAfter = new Set<DiffTask>();
  const pairBy = (key: (t: DiffTask) => string) => {
    const index = new Map<string, DiffTask[]>();
    for (const b of before) {
      if (usedBefore.has(b)) continue;
      const k = key(b);
      index.set(k, [...(index.get(k) ?? []), b]);
    }
    for (const a of after) {
      if (usedAfter.has(a)) continue;
      const candidates = index.get(key(a));
      const b = candidates?.shift();
      if (!b) continue;
      usedBefore.add(b);
      usedAfter.add(a);
      pairs.push([b, a]);
    }
  };
  pairBy((t) => `${t.path}\u0000${t.title}`);
  pairBy((t) => t.title);
  pairBy((t) => t.path);

  const order = new Map(after.map((t, i) => [t, i]));
  pairs.sort((x, y) => (order.get(x[1]) ?? 0) - (order.get(y[1]) ?? 0));

  const tasksChanged: PlanDiff['tasksChanged'] = [];
  const targetsChanged: PlanDiff['targetsChanged'] = [];
  for (const [b, a] of pairs) {
    const fields: ('path' | 'title' | 'units')[] = [];
    if (b.path !== a.path) fields.push('path');
    if (b.title !== a.title) fields.push('title');
    if (b.units.map(unitKey).join('|') !== a.units.map(unitKey).join('|')) fields.push('units');
    if (fields.length > 0) {
      tasksChanged.push({
        path: a.path,
        title: a.title,
        fields,
        before: { path: b.path, title: b.title, units: b.units.map(unitLabel) },
        after: { path: a.path, title: a.title, units: a.units.map(unitLabel) },
      });
    }
    if (b.targets.map(targetKey).join('|') !== a.targets.map(targetKey).join('|')) {
      targetsChanged.push({ path: a.path, title: a.title, before: b.targets, after: a.targets });
    }
  }
  return {
    tasksAdded: after.filter((t) => !usedAfter.has(t)).map((t) => ({ path: t.path, title: t.title })),
    tasksRemoved: before.filter((t) => !usedBefore.has(t)).map((t) => ({ path: t.path, title: t.title })),
    tasksChanged,
    targetsChanged,
  };
}

/** True when the diff holds no change at all. */
export function isEmptyDiff(
  d: Pick<PlanDiff, 'tasksAdded' | 'tasksRemoved' | 'tasksChanged' | 'targetsChanged'>,
) {
  return d.tasksAdded.length + d.tasksRemoved.length + d.tasksChanged.length + d.targetsChanged.length === 0;
}
