import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from './client';

/** Query key of the signed-in user; `null` data means "not signed in". */
export const ME_KEY = ['auth', 'me'] as const;

/**
 * One QueryClient for the app. A 401 anywhere means the session is gone: the cached user is dropped and the route
 * guard sends the browser to /login. A 403 PASSWORD_CHANGE_REQUIRED refetches the user, whose flag then routes to
 * the forced password change.
 */
export function createQueryClient(): QueryClient {
  const onError = (error: unknown) => {
    if (!isApiError(error)) return;
    if (error.status === 401) client.setQueryData(ME_KEY, null);
    else if (error.code === 'PASSWORD_CHANGE_REQUIRED') void client.invalidateQueries({ queryKey: ME_KEY });
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // Client errors will not get better by asking again; network and 5xx get one more try.
        retry: (count, error) =>
          !(isApiError(error) && error.status >= 400 && error.status < 500) && count < 1,
      },
      mutations: { retry: false },
    },
  });
  return client;
}
