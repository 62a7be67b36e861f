import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, signup, type Session } from './helpers';

/** Junk a client might send: any JSON, plausible-looking objects with wrong types, and non-JSON. */
const junkBody = (keys: string[]) =>
  fc.oneof(
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.dictionary(fc.constantFrom(...keys, '__proto__', 'constructor', ''), fc.jsonValue(), { maxKeys: 6 }).map((v) => JSON.stringify(v)),
    fc
      .record(Object.fromEntries(keys.map((k) => [k, fc.oneof(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.jsonValue(), fc.constant(null))])), { requiredKeys: [] })
      .map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 200 }),
  );

let owner: Session;
beforeAll(async () => {
  owner = await signup();
});

describe('junk input never produces a 5xx', () => {
  it('POST /auth/signup', async () => {
    await fc.assert(
      fc.asyncProperty(junkBody(['workspaceName', 'name', 'email', 'password', 'locale', 'timezone']), async (body) => {
        const res = await api('/auth/signup', { raw: body, headers: { 'content-type': 'application/json' } });
        expect(res.status, body).toBeLessThan(500);
        if (res.status >= 400) expect(res.headers.get('content-type')).toMatch(/problem\+json/);
        await res.body?.cancel();
      }),
      { numRuns: 80 },
    );
  });

  it('POST /teams', async () => {
    await fc.assert(
      fc.asyncProperty(junkBody(['name', 'managerId', 'memberIds']), async (body) => {
        const res = await api('/teams', { as: owner, raw: body, headers: { 'content-type': 'application/json' } });
        expect(res.status, body).toBeLessThan(500);
        if (res.status >= 400) expect(res.headers.get('content-type')).toMatch(/problem\+json/);
        await res.body?.cancel();
      }),
      { numRuns: 80 },
    );
    expect((await api('/me', { as: owner })).status).toBe(200);
  });
});
