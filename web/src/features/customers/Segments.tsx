import { useState } from 'preact/hooks';
import { Button } from '../../components/Button';
import { confirmAction } from '../../components/Confirm';
import { Dialog } from '../../components/Dialog';
import { Checkbox, FormError, inputClass, InputField } from '../../components/Field';
import { Menu, MenuItem } from '../../components/Menu';
import { toast } from '../../components/Toast';
import { messageFor } from '../../lib/errors';
import { useAsync, useSubmit } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { can } from '../../lib/session';
import { createSegment, deleteSegment, listSegments, updateSegment, type Filters, type Segment } from './api';
import { bodyFilters, filtersFromSegment, filtersKey } from './filters';

function SaveSegmentDialog({ filters, onClose, onSaved }: { filters: Filters; onClose: () => void; onSaved: (segment: Segment) => void }) {
  const [name, setName] = useState('');
  const [isShared, setShared] = useState(false);
  const submit = useSubmit(async () => {
    const segment = await createSegment({ name, filters: bodyFilters(filters), isShared });
    toast(t('segments.saved', { name: segment.name }));
    onSaved(segment);
  });
  return (
    <Dialog
      open
      onClose={onClose}
      title={t('segments.saveTitle')}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form="segment-form" tone="primary" busy={submit.busy}>
            {t('segments.save')}
          </Button>
        </>
      }
    >
      <form
        id="segment-form"
        class="flex flex-col gap-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run();
        }}
      >
        <p class="text-sm text-slate-500 dark:text-slate-400">{t('segments.saveBody')}</p>
        <FormError message={submit.message} />
        <InputField label={t('field.name')} value={name} onInput={(e) => setName(e.currentTarget.value)} error={submit.field('name')} autoFocus />
        <Checkbox label={t('segments.shared')} checked={isShared} onChange={(e) => setShared(e.currentTarget.checked)} />
        <p class="-mt-2 text-xs text-slate-500 dark:text-slate-400">{t('segments.sharedHint')}</p>
      </form>
    </Dialog>
  );
}

/** `refreshKey` changes when the customers may have changed (a bulk action), so that counts stay live. */
type Props = { filters: Filters; segmentId: string | undefined; onPick: (segment: Segment | null) => void; refreshKey: number };

/** Saved filters with their live counts: pick one, save the current filters, update or delete. */
export function SegmentBar({ filters, segmentId, onPick, refreshKey }: Props) {
  const [version, setVersion] = useState(0);
  const [saving, setSaving] = useState(false);
  const state = useAsync((signal) => listSegments(signal), [version, refreshKey]);
  const segments = state.data?.items ?? [];
  const active = segments.find((s) => s.id === segmentId);
  const changed = active ? filtersKey(filtersFromSegment(active.filters)) !== filtersKey(filters) : false;
  const hasFilters = Object.keys(filters).length > 0;
  const canWrite = can('contacts:write');
  const reload = () => setVersion((v) => v + 1);

  const run = async (action: () => Promise<unknown>, message: string) => {
    try {
      await action();
      toast(message);
      reload();
    } catch (err) {
      toast(messageFor(err), 'error');
    }
  };

  return (
    <div class="flex w-full min-w-0 flex-wrap items-center gap-2 md:w-auto">
      <label class="min-w-0 flex-1 md:w-56 md:flex-none">
        <span class="sr-only">{t('segments.label')}</span>
        <select
          class={inputClass}
          value={active?.id ?? ''}
          onChange={(e) => {
            const picked = segments.find((s) => s.id === e.currentTarget.value) ?? null;
            onPick(picked);
          }}
        >
          <option value="">{t('segments.all')}</option>
          {segments.map((s) => (
            <option key={s.id} value={s.id}>
              {t(s.isShared ? 'segments.optionShared' : 'segments.option', { name: s.name, count: s.count ?? '–' })}
            </option>
          ))}
        </select>
      </label>
      {canWrite && hasFilters && (!active || changed) && (
        <Button size="sm" icon="plus" onClick={() => setSaving(true)}>
          {t('segments.saveAs')}
        </Button>
      )}
      {active?.canEdit && changed && (
        <Button size="sm" icon="check" onClick={() => void run(() => updateSegment(active, { filters: bodyFilters(filters) }), t('segments.updated', { name: active.name }))}>
          {t('segments.update')}
        </Button>
      )}
      {active?.canEdit && (
        <Menu label={t('segments.more', { name: active.name })}>
          <MenuItem icon="team" onClick={() => void run(() => updateSegment(active, { isShared: !active.isShared }), t(active.isShared ? 'segments.madePrivate' : 'segments.madeShared'))}>
            {t(active.isShared ? 'segments.makePrivate' : 'segments.makeShared')}
          </MenuItem>
          <MenuItem
            icon="trash"
            danger
            onClick={async () => {
              const ok = await confirmAction({ title: t('segments.deleteTitle', { name: active.name }), body: t('segments.deleteBody'), confirmLabel: t('common.delete') });
              if (!ok) return;
              await run(() => deleteSegment(active.id), t('segments.deleted', { name: active.name }));
              onPick(null);
            }}
          >
            {t('segments.delete')}
          </MenuItem>
        </Menu>
      )}
      {saving && (
        <SaveSegmentDialog
          filters={filters}
          onClose={() => setSaving(false)}
          onSaved={(segment) => {
            setSaving(false);
            reload();
            onPick(segment);
          }}
        />
      )}
    </div>
  );
}
