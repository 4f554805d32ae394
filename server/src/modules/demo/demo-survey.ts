/**
 * The demo's survey wave: a generated stratified cluster sample of adults (18–69), so the monitoring page and the
 * plan's survey-rate indicator have something to show in the demo. Strata are the counties (each its own 县(市)区),
 * six PSUs (villages/communities) per stratum and twenty people per PSU; each person's chance of meeting the
 * literacy standard rises with education and urban residence and falls with age, around the rates the plan
 * reports for Xuzhou (a little under its 15% target). Weights are the stratum's adult population over its sample
 * size. The data are invented: the wave is marked demo and is never published.
 */

const EDUCATION = [
  { level: '小学及以下', share: 0.25, p: 0.03 },
  { level: '初中', share: 0.35, p: 0.08 },
  { level: '高中（含中专）', share: 0.22, p: 0.18 },
  { level: '大专及以上', share: 0.18, p: 0.36 },
] as const;

export const DEMO_SURVEY_HEADER = [
  'weight',
  'stratum',
  'psu',
  'district',
  'area',
  'gender',
  'age',
  'education',
  'literate',
] as const;

/** Rows of the demo sample, as text cells in DEMO_SURVEY_HEADER order. */
export function demoSurveyRecords(rnd: () => number, districts: readonly string[]): string[][] {
  const strata = districts.length > 0 ? districts : ['城区', '县区'];
  const psus = 6;
  const perPsu = 20;
  const rows: string[][] = [];
  strata.forEach((district, h) => {
    // Adults 18–69 of the stratum: 0.4 to 1.2 million; the district's own level shifts every rate a little.
    const population = Math.round(400_000 + rnd() * 800_000);
    const weight = (population / (psus * perPsu)).toFixed(2);
    const shift = (rnd() - 0.5) * 0.04;
    for (let k = 1; k <= psus; k++) {
      const urban = rnd() < 0.6;
      for (let j = 0; j < perPsu; j++) {
        const u = rnd();
        let below = 0;
        const edu =
          EDUCATION.find((e) => {
            below += e.share;
            return u < below;
          }) ?? EDUCATION[EDUCATION.length - 1]!;
        const age = 18 + Math.floor(rnd() * 52);
        const male = rnd() < 0.5;
        const p = Math.min(
          0.9,
          Math.max(
            0.005,
            edu.p + (urban ? 0.03 : -0.03) + (male ? 0.01 : -0.01) - (age - 40) * 0.001 + shift,
          ),
        );
        rows.push([
          weight,
          `S${h + 1}`,
          `S${h + 1}-P${k}`,
          district,
          urban ? '城镇' : '乡村',
          male ? '男' : '女',
          String(age),
          edu.level,
          rnd() < p ? '1' : '0',
        ]);
      }
    }
  });
  return rows;
}
