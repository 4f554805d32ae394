import { z } from 'zod';
import { IdSchema, PageQuerySchema, pageOf } from './common';

/** Audit actions, `entity.verb`. */
export const AuditEntrySchema = z.object({
  id: IdSchema,
  at: z.string(),
  actorId: IdSchema.nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditQuerySchema = PageQuerySchema.extend({
  entityType: z.string().max(50).optional(),
  entityId: z.string().max(50).optional(),
  actorId: IdSchema.optional(),
  action: z.string().max(80).optional(),
  from: z.string().datetime({ offset: true }).optional(),
  to: z.string().datetime({ offset: true }).optional(),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;
export const AuditPageSchema = pageOf(AuditEntrySchema);
