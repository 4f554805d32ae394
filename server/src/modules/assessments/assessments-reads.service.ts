import { ASSESSMENT_AUDIENCE_LABELS, type AssessmentAudience, type AssessmentGrade } from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import {
  findRubricRow,
  itemRows,
  publishedRubricRows,
  resultRows,
  rubricRows,
  scoreRows,
} from './assessments.repository';
import { draftTotals, rankOf } from './assessments.service';

/** A rubric's standing for other modules (the annual report, recognitions, open data). */
export interface AssessmentStandings {
  rubric: {
    id: string;
    jurisdictionId: string;
    jurisdictionName: string;
    year: number;
    audience: AssessmentAudience;
    title: string;
    state: 'draft' | 'computed' | 'frozen';
    frozenAt: string | null;
    publishedAt: string | null;
  };
  /** Ranked (ties share a rank, vetoed last); frozen rows once frozen, else the draft scores (overrides counted). */
  rows: {
    subjectKind: 'unit' | 'jurisdiction';
    subjectId: string;
    subjectName: string;
    total: number;
    grade: AssessmentGrade;
    rank: number;
    vetoed: boolean;
  }[];
}

/**
 * The ranking of a rubric, or null when there is none. No permission check: the caller has decided the reader may see
 * it (publish only `state === 'frozen'` with `publishedAt` to the public).
 */
export async function assessmentStandings(
  db: Kysely<Database>,
  rubricId: string,
): Promise<AssessmentStandings | null> {
  const r = await findRubricRow(db, rubricId);
  if (!r) return null;
  const rubric: AssessmentStandings['rubric'] = {
    id: r.id,
    jurisdictionId: r.jurisdiction_id,
    jurisdictionName: r.jurisdiction_name,
    year: r.year,
    audience: r.audience as AssessmentAudience,
    title: r.title,
    state: r.state as AssessmentStandings['rubric']['state'],
    frozenAt: r.frozen_at,
    publishedAt: r.published_at,
  };
  if (r.state === 'frozen') {
    const rows = await resultRows(db, [r.id]);
    return {
      rubric,
      rows: [...rows]
        .sort((a, b) => a.rank - b.rank || a.subject_name.localeCompare(b.subject_name, 'zh-CN'))
        .map((x) => ({
          subjectKind: x.subject_kind as 'unit' | 'jurisdiction',
          subjectId: x.subject_id,
          subjectName: x.subject_name,
          total: Number(x.total),
          grade: x.grade as AssessmentGrade,
          rank: x.rank,
          vetoed: x.vetoed === 1,
        })),
    };
  }
  const [items, scores] = await Promise.all([itemRows(db, [r.id]), scoreRows(db, r.id)]);
  return { rubric, rows: rankOf(draftTotals(items, scores)) };
}

/** The frozen and published rubrics (what the public sees), newest year first: for open data and documents. */
export async function publishedRubrics(db: Kysely<Database>): Promise<AssessmentStandings['rubric'][]> {
  return (await publishedRubricRows(db)).map((r) => ({
    id: r.id,
    jurisdictionId: r.jurisdiction_id,
    jurisdictionName: r.jurisdiction_name,
    year: r.year,
    audience: r.audience as AssessmentAudience,
    title: r.title,
    state: r.state as AssessmentStandings['rubric']['state'],
    frozenAt: r.frozen_at,
    publishedAt: r.published_at,
  }));
}

/**
 * A level's frozen 考核 of a year, one per audience (本级责任单位, then 下级县区), ranked — the annual report's
 * 年度考核情况. Frozen only (published or not: the report goes to the leaders); null when the level has none frozen.
 */
export async function frozenStandingsOfYear(
  db: Kysely<Database>,
  q: { jurisdictionId: string | null; year: number },
): Promise<
  | {
      audience: string;
      frozenAt: string;
      rows: { rank: number | null; name: string; score: number | null; grade: string | null }[];
    }[]
  | null
> {
  if (!q.jurisdictionId) return null;
  const rubrics = (await rubricRows(db, { jurisdictionIds: [q.jurisdictionId], year: q.year })).filter(
    (r) => r.state === 'frozen' && r.frozen_at,
  );
  if (rubrics.length === 0) return null;
  const out = [];
  for (const r of rubrics.sort(
    (a, b) => (a.audience === 'units' ? 0 : 1) - (b.audience === 'units' ? 0 : 1),
  )) {
    const s = await assessmentStandings(db, r.id);
    if (!s) continue;
    out.push({
      audience: `${ASSESSMENT_AUDIENCE_LABELS[s.rubric.audience]}（${s.rubric.title}）`,
      frozenAt: r.frozen_at!,
      rows: s.rows.map((x) => ({
        rank: x.rank,
        name: x.vetoed ? `${x.subjectName}（一票否决）` : x.subjectName,
        score: x.total,
        grade: x.grade,
      })),
    });
  }
  return out;
}
