import { signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { User } from '../../lib/session';
import { listPeople, listPipelines, listTeams, type Pipeline, type Team } from './api';

/** Names the pipeline pages look up: people (owners), teams and the pipelines with their stages. */
export type Lookups = { people: User[]; teams: Team[]; pipelines: Pipeline[]; loaded: boolean; error: unknown };

const lookups = signal<Lookups>({ people: [], teams: [], pipelines: [], loaded: false, error: null });
let inFlight: Promise<void> | null = null;

/** Loads them again (after a pipeline changed, or when the pipeline area opens). */
export function refreshLookups(): Promise<void> {
  inFlight ??= Promise.allSettled([listPeople(), listTeams(), listPipelines()])
    .then(([people, teams, pipelines]) => {
      lookups.value = {
        people: people.status === 'fulfilled' ? people.value.items : lookups.value.people,
        teams: teams.status === 'fulfilled' ? teams.value.items : lookups.value.teams,
        pipelines: pipelines.status === 'fulfilled' ? pipelines.value.items : lookups.value.pipelines,
        loaded: true,
        error: pipelines.status === 'rejected' ? pipelines.reason : null,
      };
    })
    .finally(() => (inFlight = null));
  return inFlight;
}

export function useLookups(): Lookups {
  useEffect(() => {
    if (!lookups.value.loaded) void refreshLookups();
  }, []);
  return lookups.value;
}

/** Puts a pipeline answered by a write in place, so that every page sees its new stages at once. */
export function putPipeline(pipeline: Pipeline) {
  const others = lookups.value.pipelines.filter((p) => p.id !== pipeline.id);
  lookups.value = { ...lookups.value, pipelines: [...others, pipeline].sort((a, b) => a.position - b.position) };
}

export function dropPipeline(id: string) {
  lookups.value = { ...lookups.value, pipelines: lookups.value.pipelines.filter((p) => p.id !== id) };
}

export const activePeople = (people: User[]) => people.filter((p) => p.isActive).sort((a, b) => a.name.localeCompare(b.name));
