import { beforeAll, describe, expect, it } from 'vitest';
import { api, auditRows, json, problem, signup, userWithRole, type Session } from './helpers';

let owner: Session;
let repA: Session;
let repB: Session;
let viewer: Session;

const create = async (as: Session, body: Record<string, unknown>) => json<{ id: string }>(await api('/contacts', { as, body: { force: true, ...body } }), 201);
const exportCsv = async (as: Session, qs = '') => {
  const res = await api(`/contacts/export${qs}`, { as });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
  const bytes = new Uint8Array(await res.arrayBuffer());
  // The UTF-8 byte-order mark that makes Excel read Chinese correctly (text() would drop it).
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return new TextDecoder().decode(bytes);
};

beforeAll(async () => {
  owner = await signup();
  repA = await userWithRole(owner, 'rep', { name: 'Rep A' });
  repB = await userWithRole(owner, 'rep', { name: 'Rep B' });
  viewer = await userWithRole(owner, 'viewer');
  await create(repA, { name: '陈静', phones: ['13811112222'], emails: ['chen@example.com'] });
  await create(repB, { name: 'Hidden From A', emails: ['hidden@example.com'] });
  await create(repA, { name: '=HYPERLINK("http://evil.example","click")' });
});

describe('GET /contacts/export', () => {
  it('exports the filtered list as CSV with a BOM, Chinese intact', async () => {
    const csv = await exportCsv(owner, `?q=${encodeURIComponent('陈静')}`);
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,name,company,emails,phones,owner/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('陈静');
    expect(lines[1]).toContain('+8613811112222');
    expect(lines[1]).toContain('Rep A');
  });

  it('never contains a record the exporter may not see', async () => {
    const csv = await exportCsv(repA);
    expect(csv).toContain('陈静');
    expect(csv).not.toContain('Hidden From A');
    expect(await exportCsv(owner)).toContain('Hidden From A');
  });

  it('neutralises spreadsheet formulas', async () => {
    const csv = await exportCsv(owner);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it('is audited, open to viewers, validated and refused signed out', async () => {
    expect(await exportCsv(viewer)).toContain('Hidden From A');
    const rows = await auditRows(owner, { action: 'contact.exported' });
    expect(rows.length).toBeGreaterThanOrEqual(1);
    await problem(await api('/contacts/export?lifecycle=nonsense', { as: owner }), 422);
    await problem(await api('/contacts/export'), 401);
  });
});
