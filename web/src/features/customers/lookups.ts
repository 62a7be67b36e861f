import { signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { listCustomFields, type CustomFieldDef } from '../../lib/custom-fields';
import type { User } from '../../lib/session';
import { createTag, listPeople, listTags, listTeams, searchCompanies, type CompanyRef, type Tag, type Team } from './api';

/**
 * What the customer pages look names up in: people (owners), tags, teams, custom fields, and the
 * first 200 companies by name (a list row carries only its company's id).
 */
export type Lookups = { people: User[]; tags: Tag[]; teams: Team[]; defs: CustomFieldDef[]; companies: CompanyRef[]; loaded: boolean };

const EMPTY: Lookups = { people: [], tags: [], teams: [], defs: [], companies: [], loaded: false };
const lookups = signal<Lookups>(EMPTY);
let inFlight: Promise<void> | null = null;
let loadedAt = 0;

const itemsOr = <T,>(result: PromiseSettledResult<{ items: T[] }>): T[] => (result.status === 'fulfilled' ? result.value.items : []);

/**
 * Loads them again when older than `maxAgeMs` (the customers area asks when it opens, so that a
 * new colleague, tag or custom field shows without a reload).
 */
export function refreshLookups(maxAgeMs = 0): Promise<void> {
  if (Date.now() - loadedAt < maxAgeMs) return Promise.resolve();
  inFlight ??= Promise.allSettled([listPeople(), listTags(), listTeams(), listCustomFields('contact'), searchCompanies('')])
    .then(([people, tags, teams, defs, companies]) => {
      lookups.value = { people: itemsOr(people), tags: itemsOr(tags), teams: itemsOr(teams), defs: itemsOr(defs), companies: itemsOr(companies), loaded: true };
      loadedAt = Date.now();
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

/** A new tag, added to the list at once so that every picker offers it. */
export async function addTag(name: string): Promise<Tag> {
  const tag = await createTag(name);
  const tags = [...lookups.value.tags, tag].sort((a, b) => a.name.localeCompare(b.name));
  lookups.value = { ...lookups.value, tags };
  return tag;
}

export const personName = (people: User[], id: string | null | undefined) => (id ? people.find((p) => p.id === id)?.name : undefined);
