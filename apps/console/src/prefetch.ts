/**
 * Imported first by `main.tsx`, so its requests leave while the rest of the console's modules are still being
 * evaluated: the access token, then the person's accounts.
 */
import { prefetchEveryPage } from './api/queries';

prefetchEveryPage();
