import type { RecipientKind, RecognitionLevel } from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { listRecognitionRows } from './recognitions.repository';

/** A confirmed, published recognition as other modules may show it (open data): no internal references. */
export interface PublishedRecognition {
  jurisdictionId: string;
  jurisdictionName: string;
  year: number;
  recipientKind: RecipientKind;
  recipientName: string;
  level: RecognitionLevel;
  title: string;
  reason: string;
  docNumber: string | null;
  awardedOn: string | null;
  updatedAt: string;
}

/** Every confirmed and published recognition (what /public/recognitions shows), newest year first. */
export async function publishedRecognitions(db: Kysely<Database>): Promise<PublishedRecognition[]> {
  const { rows } = await listRecognitionRows(db, { publicOnly: true }, 1, 10_000);
  return rows.map((r) => ({
    jurisdictionId: r.jurisdiction_id,
    jurisdictionName: r.jurisdiction_name,
    year: r.year,
    recipientKind: r.recipient_kind as RecipientKind,
    recipientName: r.recipient_name,
    level: r.level as RecognitionLevel,
    title: r.title,
    reason: r.reason,
    docNumber: r.doc_number,
    awardedOn: r.awarded_on,
    updatedAt: r.updated_at,
  }));
}
