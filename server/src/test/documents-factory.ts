import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { systemCtx } from '../context';
import { loadDemoData } from '../modules/demo/demo.service';
import type { TestEnv } from './env';
import { samplePlanId } from './plans-factory';
import { call } from './reporting-factory';

/** The demo data as of 2026-02-10 (its 2025 cycles reported), an admin and a leader signed in, the sample plan. */
export async function documentsDemo(e: TestEnv): Promise<{ admin: string; leader: string; planId: string }> {
  const admin = (await e.makeUser('admin')).cookie;
  const leader = (await e.makeUser('leader')).cookie;
  await loadDemoData(e.db.kysely, systemCtx(), { today: '2026-02-10' });
  return { admin, leader, planId: await samplePlanId(e.db.kysely) };
}

/** A red 督办 notice to `unitId` issued now by `admin` (deadline 2027-01-31); its id. */
export async function issueNotice(
  app: FastifyInstance,
  admin: string,
  unitId: string,
  subject: string,
): Promise<string> {
  const r = await call(app, admin, 'POST', '/api/v1/supervision/notices', {
    unitId,
    subject,
    content: '按规划要求推进并报送佐证材料',
    severity: 'red',
    deadline: '2027-01-31',
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as string;
}
