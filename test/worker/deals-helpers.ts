import { env } from 'cloudflare:test';
import { api, json, type Session } from './helpers';

/** Shapes of the pipeline API as the tests read them. */
export type Stage = { id: string; pipelineId: string; name: string; position: number; probability: number; kind: 'open' | 'won' | 'lost'; rottingDays: number | null };
export type Pipeline = { id: string; name: string; position: number; isDefault: boolean; version: number; stages: Stage[] };
export type Deal = {
  id: string;
  pipelineId: string;
  stageId: string;
  stageName: string;
  status: 'open' | 'won' | 'lost';
  name: string;
  contactId: string | null;
  contactName: string | null;
  companyId: string | null;
  companyName: string | null;
  amount: number;
  currency: string;
  expectedCloseOn: string | null;
  source: string | null;
  lostReason: string | null;
  wonAt: string | null;
  lostAt: string | null;
  closedAt: string | null;
  stageEnteredAt: string;
  lastActivityAt: string;
  probability: number;
  weightedAmount: number;
  rotting: boolean;
  ownerId: string | null;
  ownerName: string | null;
  customFields: Record<string, unknown>;
  tags: { id: string; name: string }[];
  items?: { id: string; productId: string | null; name: string; quantity: number; unitPrice: number; total: number }[];
  version: number;
  createdAt: string;
  updatedAt: string;
};
export type HistoryEntry = { id: string; fromStageId: string | null; fromStageName: string | null; toStageId: string; toStageName: string; movedBy: string | null; movedByName: string | null; movedAt: string; secondsInPrevious: number | null };

export const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });

export async function pipelines(as: Session): Promise<Pipeline[]> {
  return (await json<{ items: Pipeline[] }>(await api('/pipelines', { as }), 200)).items;
}

export async function defaultPipeline(as: Session): Promise<Pipeline> {
  return (await pipelines(as)).find((p) => p.isDefault)!;
}

export const stageNamed = (p: Pipeline, name: string) => {
  const s = p.stages.find((x) => x.name === name);
  if (!s) throw new Error(`no stage ${name} in ${p.stages.map((x) => x.name).join(', ')}`);
  return s;
};

export async function createDeal(as: Session, body: Record<string, unknown> = {}): Promise<Deal> {
  return json<Deal>(await api('/deals', { as, body: { name: `Deal ${crypto.randomUUID().slice(0, 6)}`, amount: 100_00, ...body } }), 201);
}

export async function moveDeal(as: Session, deal: { id: string; version: number }, body: Record<string, unknown>): Promise<Response> {
  return api(`/deals/${deal.id}/move`, { as, body, headers: ifMatch(deal.version) });
}

export async function getDeal(as: Session, id: string): Promise<Deal> {
  return json<Deal>(await api(`/deals/${id}`, { as }), 200);
}

export async function history(as: Session, id: string): Promise<{ items: HistoryEntry[]; timeInStage: { stageId: string; stageName: string | null; seconds: number }[] }> {
  return json(await api(`/deals/${id}/history`, { as }), 200);
}

/** Rewrites a deal's dates straight in D1 (the API stamps "now"): for rotting and period reports. */
export async function backdate(dealId: string, fields: Record<string, string | null>): Promise<void> {
  const sets = Object.keys(fields).map((k) => `${k} = ?`).join(', ');
  await env.DB.prepare(`update deals set ${sets} where id = ?`).bind(...Object.values(fields), dealId).run();
}
