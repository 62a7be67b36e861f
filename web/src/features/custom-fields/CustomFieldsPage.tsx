import '../../lib/i18n/customers';
import { useState } from 'preact/hooks';
import { Button } from '../../components/Button';
import { Badge, Card, PageHeader } from '../../components/Card';
import { confirmAction } from '../../components/Confirm';
import { Dialog } from '../../components/Dialog';
import { Checkbox, Field, FormError, inputClass, InputField, SelectField } from '../../components/Field';
import { AsyncList, EmptyState } from '../../components/States';
import { td, Table } from '../../components/Table';
import { Tabs } from '../../components/Tabs';
import { toast } from '../../components/Toast';
import { ApiError } from '../../lib/api';
import { CUSTOM_FIELD_TYPES, type CustomFieldDef, type CustomFieldEntity, type CustomFieldType } from '../../lib/custom-fields';
import { messageFor } from '../../lib/errors';
import { useAsync, useSubmit } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { can } from '../../lib/session';
import { createCustomField, deleteCustomField, listCustomFields, updateCustomField } from './api';

const hasOptions = (type: CustomFieldType) => type === 'select' || type === 'multiselect';

/** A label → a key like `vip_level` (letters and digits only; Chinese labels need a key typed by hand). */
const keyFrom = (label: string) =>
  label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .replace(/_+$/, '')
    .slice(0, 40);

function FieldDialog({ entity, def, nextPosition, onClose, onSaved }: { entity: CustomFieldEntity; def: CustomFieldDef | null; nextPosition: number; onClose: () => void; onSaved: () => void }) {
  const [label, setLabel] = useState(def?.label ?? '');
  const [key, setKey] = useState(def?.key ?? '');
  const [keyTouched, setKeyTouched] = useState(Boolean(def));
  const [type, setType] = useState<CustomFieldType>(def?.type ?? 'text');
  const [options, setOptions] = useState((def?.options ?? []).join('\n'));
  const [isRequired, setRequired] = useState(def?.isRequired ?? false);
  const [position, setPosition] = useState(String(def?.position ?? nextPosition));
  const optionList = options
    .split('\n')
    .map((o) => o.trim())
    .filter(Boolean);
  const submit = useSubmit(async () => {
    const pos = Number.parseInt(position, 10) || 0;
    if (def) await updateCustomField(def.id, { label, options: hasOptions(def.type) ? optionList : def.options, isRequired, position: pos });
    else await createCustomField({ entity, key, label, type, options: hasOptions(type) ? optionList : [], isRequired, position: pos });
    toast(t(def ? 'customFields.saved' : 'customFields.created', { label }));
    onSaved();
  });
  const keyIssue = submit.error instanceof ApiError ? submit.error.fieldError('key') : undefined;
  const keyError = keyIssue ? t(keyIssue.code === 'taken' ? 'customFields.keyTaken' : 'customFields.keyInvalid') : undefined;
  return (
    <Dialog
      open
      onClose={onClose}
      title={def ? t('customFields.editTitle', { label: def.label }) : t('customFields.newTitle')}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form="custom-field-form" tone="primary" busy={submit.busy}>
            {def ? t('common.save') : t('customFields.create')}
          </Button>
        </>
      }
    >
      <form
        id="custom-field-form"
        class="flex flex-col gap-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run();
        }}
      >
        <FormError message={submit.message} />
        <InputField
          label={t('customFields.label')}
          value={label}
          autoFocus
          onInput={(e) => {
            const value = e.currentTarget.value;
            setLabel(value);
            if (!keyTouched) setKey(keyFrom(value));
          }}
          error={submit.field('label')}
        />
        <div class="grid gap-4 sm:grid-cols-2">
          <InputField
            label={t('customFields.key')}
            value={key}
            disabled={Boolean(def)}
            class={`${inputClass} font-mono`}
            hint={def ? t('customFields.keyFixed') : t('customFields.keyHint')}
            onInput={(e) => {
              setKey(e.currentTarget.value);
              setKeyTouched(true);
            }}
            error={keyError}
          />
          <SelectField label={t('customFields.type')} value={type} disabled={Boolean(def)} onChange={(e) => setType(e.currentTarget.value as CustomFieldType)} error={submit.field('type')}>
            {CUSTOM_FIELD_TYPES.map((ty) => (
              <option key={ty} value={ty}>
                {t(`customFields.type.${ty}`)}
              </option>
            ))}
          </SelectField>
        </div>
        {hasOptions(type) && (
          <Field label={t('customFields.options')} hint={t('customFields.optionsHint')} error={submit.field('options') ? t('customFields.optionsRequired') : undefined}>
            {({ id, describedBy, invalid }) => (
              <textarea id={id} rows={5} class={inputClass} aria-invalid={invalid} aria-describedby={describedBy} value={options} onInput={(e) => setOptions(e.currentTarget.value)} />
            )}
          </Field>
        )}
        <div class="grid items-end gap-4 sm:grid-cols-2">
          <InputField label={t('customFields.position')} inputMode="numeric" value={position} onInput={(e) => setPosition(e.currentTarget.value)} error={submit.field('position')} hint={t('customFields.positionHint')} />
          <div class="pb-2">
            <Checkbox label={t('customFields.required')} checked={isRequired} onChange={(e) => setRequired(e.currentTarget.checked)} />
          </div>
        </div>
      </form>
    </Dialog>
  );
}

/** Settings → custom fields: extra fields on customers and companies, validated like built-in ones. */
export function CustomFieldsPage() {
  const canEdit = can('settings:write');
  const [entity, setEntity] = useState<CustomFieldEntity>('contact');
  const [version, setVersion] = useState(0);
  const [editing, setEditing] = useState<CustomFieldDef | 'new' | null>(null);
  const state = useAsync((signal) => listCustomFields(entity, signal), [entity, version]);
  const reload = () => setVersion((v) => v + 1);
  const defs = state.data?.items ?? [];

  const remove = async (def: CustomFieldDef) => {
    const ok = await confirmAction({ title: t('customFields.deleteTitle', { label: def.label }), body: t('customFields.deleteBody'), confirmLabel: t('common.delete') });
    if (!ok) return;
    try {
      await deleteCustomField(def.id);
      toast(t('customFields.deleted', { label: def.label }));
      reload();
    } catch (err) {
      toast(messageFor(err), 'error');
    }
  };

  const newButton = canEdit && (
    <Button tone="primary" icon="plus" onClick={() => setEditing('new')}>
      {t('customFields.new')}
    </Button>
  );

  return (
    <>
      <PageHeader title={t('settings.customFields')} description={t('customFields.description')} actions={newButton} />
      <Card>
        <div class="border-b border-slate-200 px-4 sm:px-5 dark:border-slate-800">
          <Tabs
            label={t('customFields.entity')}
            active={entity}
            onChange={setEntity}
            tabs={[
              { id: 'contact', label: t('customFields.entity.contact') },
              { id: 'company', label: t('customFields.entity.company') },
            ]}
          />
        </div>
        <AsyncList state={state} empty={<EmptyState icon="list" title={t('customFields.emptyTitle')} body={t('customFields.emptyBody')} action={newButton} />}>
          {(data) => (
            <Table label={t('settings.customFields')} columns={[t('customFields.label'), t('customFields.key'), t('customFields.type'), t('customFields.options'), ...(canEdit ? [<span class="sr-only">{t('common.actions')}</span>] : [])]}>
              {data.items.map((def) => (
                <tr key={def.id}>
                  <td class={`${td} font-medium`}>
                    {def.label}
                    {def.isRequired && (
                      <span class="ml-2">
                        <Badge tone="amber">{t('customFields.requiredBadge')}</Badge>
                      </span>
                    )}
                  </td>
                  <td class={`${td} font-mono text-xs`}>{def.key}</td>
                  <td class={td}>{t(`customFields.type.${def.type}`)}</td>
                  <td class={`${td} max-w-64 truncate text-slate-600 dark:text-slate-300`} title={def.options.join(', ')}>
                    {def.options.length ? def.options.join(t('common.listSeparator')) : '—'}
                  </td>
                  {canEdit && (
                    <td class={`${td} text-right`}>
                      <Button size="sm" tone="ghost" icon="edit" onClick={() => setEditing(def)} aria-label={t('customFields.editTitle', { label: def.label })}>
                        {t('common.edit')}
                      </Button>
                      <Button size="sm" tone="ghost" icon="trash" onClick={() => void remove(def)} aria-label={t('customFields.deleteTitle', { label: def.label })}>
                        {t('common.delete')}
                      </Button>
                    </td>
                  )}
                </tr>
              ))}
            </Table>
          )}
        </AsyncList>
      </Card>
      {editing && (
        <FieldDialog
          entity={entity}
          def={editing === 'new' ? null : editing}
          nextPosition={defs.length ? Math.max(...defs.map((d) => d.position)) + 1 : 0}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            reload();
          }}
        />
      )}
    </>
  );
}
