import { env } from 'cloudflare:test';
import { drizzle } from 'drizzle-orm/d1';
import * as schema from '../../worker/db/schema';
import { foundationServiceSuite } from '../services/foundation.suite';

foundationServiceSuite('D1', () => drizzle(env.DB, { schema }));
