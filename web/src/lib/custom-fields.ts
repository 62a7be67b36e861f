import { api, ApiError, type Page } from './api';
import { t } from './i18n';

/** Workspace-defined fields on customers and companies (settings → custom fields). */
export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'select', 'multiselect', 'boolean', 'url'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];
export type CustomFieldEntity = 'contact' | 'company';

export type CustomFieldDef = {
  id: string;
  entity: CustomFieldEntity | 'deal';
  key: string;
  label: string;
  type: CustomFieldType;
  options: string[];
  isRequired: boolean;
  position: number;
  createdAt: string;
};

export type CustomValue = string | number | boolean | string[] | null;
export type CustomValues = Record<string, CustomValue>;

export const listCustomFields = (entity?: CustomFieldEntity, signal?: AbortSignal) => api.get<Page<CustomFieldDef>>('/custom-fields', { entity }, signal);

/**
 * What a form holds for a field as the API wants it: numbers as numbers, an empty input as null.
 * A number that does not parse is sent as typed, so that the API names the field.
 */
export function customValueForApi(def: CustomFieldDef, value: CustomValue | undefined): CustomValue {
  if (value === undefined || value === '') return null;
  if (def.type === 'number' && typeof value === 'string') {
    const n = Number(value.replace(/[\s,]/g, ''));
    return Number.isFinite(n) ? n : value;
  }
  return value;
}

/** The custom values that differ from `before`, ready to PATCH (or all of them, for a new record). */
export function changedCustomValues(defs: CustomFieldDef[], values: CustomValues, before: CustomValues = {}): CustomValues | undefined {
  const out: CustomValues = {};
  for (const def of defs) {
    const next = customValueForApi(def, values[def.key]);
    const prev = before[def.key] ?? null;
    if (JSON.stringify(next) !== JSON.stringify(prev)) out[def.key] = next;
  }
  return Object.keys(out).length ? out : undefined;
}

/** The inline message for a custom field, from the API's `customFields.<key>` error. */
export function customFieldMessage(err: unknown, def: CustomFieldDef): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  const fe = err.errors.find((e) => e.field === `customFields.${def.key}`);
  if (!fe) return undefined;
  if (fe.code === 'required') return t('error.required');
  if (fe.code === 'unknown_field') return t('error.fieldNotFound');
  return t(`customFields.invalid.${def.type}`);
}
