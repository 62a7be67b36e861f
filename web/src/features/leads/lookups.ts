import { signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { listCustomFields, type CustomFieldDef } from '../../lib/custom-fields';
import { listPeople, listPipelines, listTags, listTeams, type Person, type Pipeline, type Tag, type Team } from './api';

/**
 * Names the lead pages and the form and hook editors pick from: people (owners), teams, tags,
 * pipelines and the customer custom fields. Pipelines stay empty when the deals API answers no
 * (then no page offers a deal).
 */
export type Lookups = { people: Person[]; teams: Team[]; tags: Tag[]; pipelines: Pipeline[]; customFields: CustomFieldDef[]; loaded: boolean };

const lookups = signal<Lookups>({ people: [], teams: [], tags: [], pipelines: [], customFields: [], loaded: false });
let inFlight: Promise<void> | null = null;
let loadedAt = 0;

const itemsOr = <T,>(result: PromiseSettledResult<{ items: T[] }>): T[] => (result.status === 'fulfilled' ? result.value.items : []);

export function refreshLookups(maxAgeMs = 0): Promise<void> {
  if (Date.now() - loadedAt < maxAgeMs) return Promise.resolve();
  inFlight ??= Promise.allSettled([listPeople(), listTeams(), listTags(), listPipelines(), listCustomFields('contact')])
    .then(([people, teams, tags, pipelines, customFields]) => {
      lookups.value = {
        people: itemsOr(people).filter((p) => p.isActive !== false),
        teams: itemsOr(teams),
        tags: itemsOr(tags),
        pipelines: itemsOr(pipelines),
        customFields: itemsOr(customFields),
        loaded: true,
      };
      loadedAt = Date.now();
    })
    .finally(() => (inFlight = null));
  return inFlight;
}

/** The look-ups, loaded on first use and again when older than half a minute. */
export function useLookups(): Lookups {
  useEffect(() => void refreshLookups(30_000), []);
  return lookups.value;
}
