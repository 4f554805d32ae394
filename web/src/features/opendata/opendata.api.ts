import { OpenDataCatalogueSchema } from '@kesu/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

/** The open-data catalogue (no sign-in): every level's published datasets with their periods and URLs. */
export function useOpenDataCatalogue() {
  return useQuery({
    queryKey: ['open-data'],
    queryFn: () => api.get('/api/v1/public/open-data', { schema: OpenDataCatalogueSchema }),
  });
}
