import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import { systemCtx } from '../context';
import type { Database, GeneratedDocumentsTable } from '../db/schema';
import { nowIso } from '../ids';
import { loadDemoData } from '../modules/demo/demo.service';
import { insertGeneratedDocument } from '../modules/documents/documents.repository';
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

/**
 * A `generated_documents` row as a request leaves it (queued, no file), written through the module's repository;
 * `overrides` set what the test needs (a done row with its file, another requester …).
 */
export async function insertDocumentRow(
  db: Kysely<Database>,
  overrides: Partial<GeneratedDocumentsTable> & Pick<GeneratedDocumentsTable, 'id' | 'requested_by'>,
): Promise<GeneratedDocumentsTable> {
  const row: GeneratedDocumentsTable = {
    kind: 'notice',
    query_json: '{}',
    format: 'docx',
    status: 'queued',
    active_key: null,
    error_code: null,
    error: null,
    file_key: null,
    file_name: null,
    content_type: null,
    size_bytes: null,
    created_at: nowIso(),
    finished_at: null,
    ...overrides,
  };
  await insertGeneratedDocument(db, row);
  return row;
}
