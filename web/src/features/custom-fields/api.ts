import { api } from '../../lib/api';
import type { CustomFieldDef, CustomFieldEntity, CustomFieldType } from '../../lib/custom-fields';

export { listCustomFields } from '../../lib/custom-fields';

export type NewCustomField = { entity: CustomFieldEntity; key: string; label: string; type: CustomFieldType; options: string[]; isRequired: boolean; position: number };
export type CustomFieldChanges = { label?: string; options?: string[]; isRequired?: boolean; position?: number };

export const createCustomField = (input: NewCustomField) => api.post<CustomFieldDef>('/custom-fields', input);
export const updateCustomField = (id: string, changes: CustomFieldChanges) => api.patch<CustomFieldDef>(`/custom-fields/${id}`, changes);
export const deleteCustomField = (id: string) => api.del(`/custom-fields/${id}`);
