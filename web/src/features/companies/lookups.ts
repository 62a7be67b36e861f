import { signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { listCustomFields, type CustomFieldDef } from '../../lib/custom-fields';
import type { User } from '../../lib/session';
import { createTag, listPeople, listTags, type Tag } from './api';

/** People (owners), tags and the company custom fields, loaded once per visit to the company pages. */
type Lookups = { people: User[]; tags: Tag[]; defs: CustomFieldDef[] };
const lookups = signal<Lookups>({ people: [], tags: [], defs: [] });

const itemsOr = <T,>(result: PromiseSettledResult<{ items: T[] }>): T[] => (result.status === 'fulfilled' ? result.value.items : []);

export function useCompanyLookups(): Lookups {
  useEffect(() => {
    void Promise.allSettled([listPeople(), listTags(), listCustomFields('company')]).then(([people, tags, defs]) => {
      lookups.value = { people: itemsOr(people), tags: itemsOr(tags), defs: itemsOr(defs) };
    });
  }, []);
  return lookups.value;
}

export async function addTag(name: string): Promise<Tag> {
  const tag = await createTag(name);
  lookups.value = { ...lookups.value, tags: [...lookups.value.tags, tag].sort((a, b) => a.name.localeCompare(b.name)) };
  return tag;
}
