import type { ActivityFile } from '@kesu/shared';
import type { ActivityFilesTable } from '../../db/schema';

export function toActivityFile(row: ActivityFilesTable): ActivityFile {
  return {
    id: row.id,
    activityId: row.activity_id,
    fileName: row.file_name,
    mime: row.mime,
    sizeBytes: Number(row.size_bytes),
    isImage: row.mime.startsWith('image/'),
    createdAt: row.created_at,
  };
}
