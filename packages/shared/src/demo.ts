import { z } from 'zod';
import { IdSchema } from './common';

/** Demo data (two years of plausible reports for the sample plan), marked on every row and removable at once. */
export const DemoStatusSchema = z.object({
  isLoaded: z.boolean(),
  batchId: IdSchema.nullable(),
  createdAt: z.string().nullable(),
  /** Rows made per table. */
  counts: z.record(z.string(), z.number().int()),
});
export type DemoStatus = z.infer<typeof DemoStatusSchema>;

/** The tag shown wherever demo data appears. */
export const DEMO_LABEL = '演示数据';
