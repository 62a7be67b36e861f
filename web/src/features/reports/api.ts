import { api } from '../../lib/api';
import type { User } from '../../lib/session';

export type ForecastRow = { month: string; won: number; wonCount: number; open: number; openCount: number; weighted: number; bestCase: number };
export type Forecast = {
  currency: string;
  from: string;
  to: string;
  months: string[];
  totals: ForecastRow[];
  byRep: { ownerId: string | null; ownerName: string | null; teamId: string | null; months: ForecastRow[]; total: ForecastRow }[];
  byTeam: { teamId: string | null; teamName: string | null; months: ForecastRow[]; total: ForecastRow }[];
  total: ForecastRow;
};
export type WinRates = { pipelineId: string; stages: { stageId: string; name: string; kind: 'open' | 'won' | 'lost'; position: number; reached: number; won: number; lost: number; open: number; winRate: number | null }[] };
export type Funnel = {
  pipelineId: string;
  from: string;
  to: string;
  total: number;
  stages: { stageId: string; name: string; kind: 'open' | 'won' | 'lost'; position: number; current: number; reached: number; conversion: number | null; avgDays: number | null }[];
};
export type WonLost = {
  currency: string;
  from: string;
  to: string;
  won: { count: number; amount: number };
  lost: { count: number; amount: number };
  byReason: { reason: string; count: number; amount: number }[];
  bySource: { source: string; won: number; lost: number; wonAmount: number; lostAmount: number; winRate: number | null }[];
};

export type Scope = { pipelineId?: string; ownerId?: string; teamId?: string; currency?: string };

export const getForecast = (q: Scope & { from?: string; to?: string }, signal?: AbortSignal) => api.get<Forecast>('/reports/forecast', q, signal);
export const getWinRates = (q: { pipelineId?: string; from?: string; to?: string }, signal?: AbortSignal) => api.get<WinRates>('/reports/win-rates', q, signal);
export const getFunnel = (q: Scope & { from?: string; to?: string; source?: string }, signal?: AbortSignal) => api.get<Funnel>('/reports/funnel', q, signal);
export const getWonLost = (q: Scope & { from?: string; to?: string }, signal?: AbortSignal) => api.get<WonLost>('/reports/won-lost', q, signal);

export type PipelineRef = { id: string; name: string; isDefault: boolean };
export type Team = { id: string; name: string };
export const listPipelines = (signal?: AbortSignal) => api.get<{ items: PipelineRef[] }>('/pipelines', undefined, signal);
export const listPeople = (signal?: AbortSignal) => api.get<{ items: User[] }>('/users', { limit: 200 }, signal);
export const listTeams = (signal?: AbortSignal) => api.get<{ items: Team[] }>('/teams', undefined, signal);
