import { SELF } from 'cloudflare:test';
import { it, expect } from 'vitest';

it('health', async () => {
  const res = await SELF.fetch('http://localhost/api/v1/health');
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ok: true });
});
