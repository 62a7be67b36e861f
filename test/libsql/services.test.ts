import { beforeAll } from 'vitest';
import type { Db } from '../../worker/db/client';
import { customerServiceSuite } from '../services/customers.suite';
import { foundationServiceSuite } from '../services/foundation.suite';
import { freshLibsqlDb } from './db';

let db: Db;
beforeAll(async () => {
  db = await freshLibsqlDb();
});

foundationServiceSuite('libSQL', () => db);
customerServiceSuite('libSQL', () => db);
