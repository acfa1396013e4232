/**
 * Imported first by `main.tsx`, and importing nothing but the session: the access token is asked for before the
 * rest of the console's modules run. A failure is left to the first request, which asks again and signs out.
 */
import { accessToken } from './api/session';

accessToken().catch(() => undefined);
