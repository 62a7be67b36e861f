import { env } from 'cloudflare:test';
import { drizzle } from 'drizzle-orm/d1';
import { customerServiceSuite } from '../services/customers.suite';
import { foundationServiceSuite } from '../services/foundation.suite';

const db = () => drizzle(env.DB);
foundationServiceSuite('D1', db);
customerServiceSuite('D1', db);
