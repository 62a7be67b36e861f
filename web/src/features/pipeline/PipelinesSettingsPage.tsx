import '../../lib/i18n/pipeline';
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useState } from 'preact/hooks';
import { Button } from '../../components/Button';
import { Badge, Card, CardHeader, PageHeader } from '../../components/Card';
import { confirmAction } from '../../components/Confirm';
import { Dialog } from '../../components/Dialog';
import { FormError, inputClass, InputField, SelectField } from '../../components/Field';
import { ErrorState, Loading } from '../../components/States';
import { toast } from '../../components/Toast';
import { ApiError } from '../../lib/api';
import { fieldMessage, messageFor } from '../../lib/errors';
import { useSubmit } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { can } from '../../lib/session';
import { addStage, createPipeline, deletePipeline, removeStage, reorderStages, STAGE_KINDS, updatePipeline, updateStage, type Pipeline, type Stage, type StageInput, type StageKind } from './api';
import { dropPipeline, putPipeline, refreshLookups, useLookups } from './lookups';

const CODE_MESSAGES: Record<string, Parameters<typeof t>[0]> = {
  pipeline_has_deals: 'pl.settings.hasDeals',
  last_pipeline: 'pl.settings.lastPipeline',
  pipeline_name_taken: 'pl.settings.nameTaken',
};

/** The API's reason in words a person acts on; a stale version reloads the pipelines. */
function failed(err: unknown) {
  if (err instanceof ApiError && err.status === 412) {
    toast(t('pl.settings.stale'), 'error');
    void refreshLookups();
    return;
  }
  const key = err instanceof ApiError ? CODE_MESSAGES[err.code] : undefined;
  toast(key ? t(key) : err instanceof ApiError && err.errors[0] ? `${messageFor(err)} (${err.errors[0].field})` : messageFor(err), 'error');
}

type Draft = { name: string; probability: string; kind: StageKind; rottingDays: string };
const draftOf = (s: Stage): Draft => ({ name: s.name, probability: String(s.probability), kind: s.kind, rottingDays: s.rottingDays === null ? '' : String(s.rottingDays) });

function changesOf(d: Draft, s: Stage): StageInput | null {
  const out: StageInput = {};
  if (d.name.trim() !== s.name) out.name = d.name.trim();
  if (Number(d.probability) !== s.probability) out.probability = Number(d.probability);
  if (d.kind !== s.kind) out.kind = d.kind;
  const rotting = d.rottingDays.trim() === '' ? null : Number(d.rottingDays);
  if (rotting !== s.rottingDays) out.rottingDays = rotting;
  return Object.keys(out).length ? out : null;
}

const ROW_GRID = 'grid-cols-2 sm:grid-cols-[minmax(0,1fr)_5.5rem_7rem_6rem_8.5rem]';

/** One value of a stage row: its label shows on a phone; on wider screens the list's header names the column. */
function Cell({ label, error, class: className = '', children }: { label: string; error?: string; class?: string; children: (props: { id: string; class: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }) => ComponentChildren }) {
  const id = useId();
  return (
    <div class={`min-w-0 ${className}`}>
      <label for={id} class="mb-1 block text-xs font-medium text-slate-600 sm:sr-only dark:text-slate-400">
        {label}
      </label>
      {children({ id, class: inputClass, 'aria-invalid': Boolean(error), 'aria-describedby': error ? `${id}-error` : undefined })}
      {error && (
        <p id={`${id}-error`} role="alert" class="mt-1 text-xs font-medium text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}

function StageHeader() {
  return (
    <div aria-hidden="true" class={`hidden ${ROW_GRID} gap-2 border-b border-slate-200 px-4 py-2 text-xs font-medium tracking-wide text-slate-500 uppercase sm:grid sm:px-5 dark:border-slate-800 dark:text-slate-400`}>
      <span>{t('pl.settings.stageName')}</span>
      <span>{t('pl.settings.probability')}</span>
      <span>{t('pl.settings.kind')}</span>
      <span>{t('pl.settings.rottingDays')}</span>
      <span />
    </div>
  );
}

function StageRow({ pipeline, stage, index, count, onSaved }: { pipeline: Pipeline; stage: Stage; index: number; count: number; onSaved: (p: Pipeline) => void }) {
  const [draft, setDraft] = useState(() => draftOf(stage));
  const [removing, setRemoving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setDraft(draftOf(stage)), [stage.name, stage.probability, stage.kind, stage.rottingDays]);
  const changes = changesOf(draft, stage);
  const save = async (e: Event) => {
    e.preventDefault();
    if (!changes) return;
    setBusy(true);
    setError(null);
    try {
      onSaved(await updateStage(pipeline, stage.id, changes));
      toast(t('pl.settings.stageSaved', { name: draft.name.trim() }));
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) setError(err);
      else failed(err);
    } finally {
      setBusy(false);
    }
  };
  const move = async (step: number) => {
    const ids = pipeline.stages.map((s) => s.id);
    const [moved] = ids.splice(index, 1);
    ids.splice(index + step, 0, moved);
    try {
      onSaved(await reorderStages(pipeline, ids));
    } catch (err) {
      failed(err);
    }
  };
  const field = (name: string) => fieldMessage(error, name);
  return (
    <li class="px-4 py-3 sm:px-5">
      <form onSubmit={save} class={`grid ${ROW_GRID} items-center gap-2`} aria-label={stage.name}>
        <Cell class="col-span-2 sm:col-span-1" label={t('pl.settings.stageName')} error={field('name')}>
          {(props) => <input {...props} value={draft.name} maxLength={80} onInput={(e) => setDraft({ ...draft, name: e.currentTarget.value })} />}
        </Cell>
        <Cell label={t('pl.settings.probability')} error={field('probability')}>
          {(props) => <input {...props} type="number" min={0} max={100} value={draft.probability} onInput={(e) => setDraft({ ...draft, probability: e.currentTarget.value })} />}
        </Cell>
        <Cell label={t('pl.settings.kind')} error={field('kind')}>
          {(props) => (
            <select {...props} value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.currentTarget.value as StageKind })}>
              {STAGE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`pl.status.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Cell>
        <Cell label={t('pl.settings.rottingDays')} error={field('rottingDays')}>
          {(props) => <input {...props} type="number" min={1} placeholder="—" value={draft.rottingDays} onInput={(e) => setDraft({ ...draft, rottingDays: e.currentTarget.value })} />}
        </Cell>
        <div class="col-span-2 flex flex-wrap justify-end gap-1 sm:col-span-1">
          {changes && (
            <Button size="sm" tone="primary" type="submit" busy={busy}>
              {t('common.save')}
            </Button>
          )}
          <Button size="sm" tone="ghost" icon="down" class="rotate-180" disabled={index === 0} aria-label={t('pl.settings.moveUp', { name: stage.name })} onClick={() => move(-1)} />
          <Button size="sm" tone="ghost" icon="down" disabled={index === count - 1} aria-label={t('pl.settings.moveDown', { name: stage.name })} onClick={() => move(1)} />
          <Button size="sm" tone="ghost" icon="trash" aria-label={t('pl.settings.removeStage', { name: stage.name })} onClick={() => setRemoving(true)} />
        </div>
      </form>
      {removing && <RemoveStageDialog pipeline={pipeline} stage={stage} onClose={() => setRemoving(false)} onSaved={onSaved} />}
    </li>
  );
}

function RemoveStageDialog({ pipeline, stage, onClose, onSaved }: { pipeline: Pipeline; stage: Stage; onClose: () => void; onSaved: (p: Pipeline) => void }) {
  const others = pipeline.stages.filter((s) => s.id !== stage.id);
  const [moveTo, setMoveTo] = useState(others.find((s) => s.kind === stage.kind)?.id ?? others[0]?.id ?? '');
  const submit = useSubmit(async () => {
    const saved = await removeStage(pipeline, stage.id, moveTo || null);
    toast(t('pl.settings.stageRemoved', { name: stage.name, target: others.find((s) => s.id === moveTo)?.name ?? '' }));
    onSaved(saved);
    onClose();
  });
  const otherError = submit.error && !submit.field('moveTo') && !submit.field('stageId') ? submit.message : null;
  return (
    <Dialog
      open
      onClose={onClose}
      title={t('pl.settings.removeTitle', { name: stage.name })}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button tone="danger" busy={submit.busy} onClick={() => submit.run()}>
            {t('pl.settings.removeConfirm')}
          </Button>
        </>
      }
    >
      <div class="space-y-3">
        <p class="text-sm text-slate-600 dark:text-slate-300">{t('pl.settings.removeBody')}</p>
        <FormError message={submit.field('stageId') ? t('pl.settings.lastOpenStage') : otherError} />
        <SelectField label={t('pl.settings.moveDealsTo')} value={moveTo} error={submit.field('moveTo')} onChange={(e) => setMoveTo(e.currentTarget.value)}>
          {others.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({t(`pl.status.${s.kind}`)})
            </option>
          ))}
        </SelectField>
      </div>
    </Dialog>
  );
}

function AddStageForm({ pipeline, onSaved }: { pipeline: Pipeline; onSaved: (p: Pipeline) => void }) {
  const [name, setName] = useState('');
  const [probability, setProbability] = useState('20');
  const submit = useSubmit(async () => {
    onSaved(await addStage(pipeline, { name: name.trim(), probability: Number(probability), kind: 'open', rottingDays: 14 }));
    toast(t('pl.settings.stageAdded', { name: name.trim() }));
    setName('');
  });
  return (
    <form
      class="grid grid-cols-2 items-end gap-2 border-t border-slate-200 px-4 py-3 sm:grid-cols-[minmax(0,1fr)_6rem_auto] sm:px-5 dark:border-slate-800"
      onSubmit={(e) => {
        e.preventDefault();
        void submit.run();
      }}
    >
      <InputField fieldClass="col-span-2 sm:col-span-1" label={t('pl.settings.newStage')} value={name} maxLength={80} error={submit.field('name')} onInput={(e) => setName(e.currentTarget.value)} />
      <InputField label={t('pl.settings.probability')} type="number" min={0} max={100} value={probability} error={submit.field('probability')} onInput={(e) => setProbability(e.currentTarget.value)} />
      <Button type="submit" icon="plus" busy={submit.busy} disabled={!name.trim()}>
        {t('pl.settings.addStage')}
      </Button>
      {submit.error && !submit.field('name') && !submit.field('probability') ? <p class="col-span-full text-sm text-red-600">{submit.message}</p> : null}
    </form>
  );
}

function PipelineCard({ pipeline }: { pipeline: Pipeline }) {
  const [name, setName] = useState(pipeline.name);
  useEffect(() => setName(pipeline.name), [pipeline.name]);
  const rename = useSubmit(async () => {
    putPipeline(await updatePipeline(pipeline, { name: name.trim() }));
    toast(t('pl.settings.renamed', { name: name.trim() }));
  });
  const makeDefault = async () => {
    try {
      putPipeline(await updatePipeline(pipeline, { isDefault: true }));
      await refreshLookups();
    } catch (err) {
      failed(err);
    }
  };
  const remove = async () => {
    const ok = await confirmAction({ title: t('pl.settings.deleteTitle', { name: pipeline.name }), body: t('pl.settings.deleteBody'), confirmLabel: t('common.delete') });
    if (!ok) return;
    try {
      await deletePipeline(pipeline);
      dropPipeline(pipeline.id);
      toast(t('pl.settings.deleted', { name: pipeline.name }));
    } catch (err) {
      failed(err);
    }
  };
  return (
    <Card>
      <CardHeader
        title={
          <span class="flex items-center gap-2">
            {pipeline.name}
            {pipeline.isDefault && <Badge tone="accent">{t('pl.settings.default')}</Badge>}
          </span>
        }
        actions={
          <>
            {!pipeline.isDefault && (
              <Button size="sm" onClick={makeDefault}>
                {t('pl.settings.makeDefault')}
              </Button>
            )}
            <Button size="sm" tone="ghost" icon="trash" onClick={remove}>
              {t('pl.settings.deletePipeline')}
            </Button>
          </>
        }
      />
      <form
        class="flex flex-wrap items-end gap-2 border-b border-slate-200 px-4 py-3 sm:px-5 dark:border-slate-800"
        onSubmit={(e) => {
          e.preventDefault();
          void rename.run();
        }}
      >
        <InputField fieldClass="min-w-0 flex-1" label={t('pl.settings.pipelineName')} value={name} maxLength={80} error={rename.field('name') ?? (rename.error instanceof ApiError && rename.error.code === 'pipeline_name_taken' ? t('pl.settings.nameTaken') : undefined)} onInput={(e) => setName(e.currentTarget.value)} />
        {name.trim() !== pipeline.name && (
          <Button type="submit" tone="primary" busy={rename.busy}>
            {t('pl.settings.rename')}
          </Button>
        )}
      </form>
      <StageHeader />
      <ol aria-label={t('pl.settings.stagesOf', { name: pipeline.name })} class="divide-y divide-slate-100 dark:divide-slate-800">
        {pipeline.stages.map((stage, i) => (
          <StageRow key={stage.id} pipeline={pipeline} stage={stage} index={i} count={pipeline.stages.length} onSaved={putPipeline} />
        ))}
      </ol>
      <AddStageForm pipeline={pipeline} onSaved={putPipeline} />
    </Card>
  );
}

/** Settings → Pipelines: pipelines and their stages (admins). */
export function PipelinesSettingsPage() {
  const lookups = useLookups();
  const [name, setName] = useState('');
  const [adding, setAdding] = useState(false);
  const create = useSubmit(async () => {
    const created = await createPipeline(name.trim());
    putPipeline(created);
    toast(t('pl.settings.created', { name: created.name }));
    setName('');
    setAdding(false);
  });
  useEffect(() => void refreshLookups(), []);
  const canWrite = can('pipelines:write');
  return (
    <>
      <PageHeader
        title={t('pl.settings.title')}
        description={t('pl.settings.description')}
        actions={
          canWrite && (
            <Button tone="primary" icon="plus" onClick={() => setAdding(true)}>
              {t('pl.settings.newPipeline')}
            </Button>
          )
        }
      />
      {lookups.error && !lookups.pipelines.length ? (
        <ErrorState error={lookups.error} onRetry={() => void refreshLookups()} />
      ) : !lookups.loaded ? (
        <Loading />
      ) : (
        <div class="space-y-4">
          {lookups.pipelines.map((p) => (
            <PipelineCard key={p.id} pipeline={p} />
          ))}
        </div>
      )}
      <Dialog
        open={adding}
        onClose={() => setAdding(false)}
        title={t('pl.settings.newPipeline')}
        footer={
          <>
            <Button onClick={() => setAdding(false)}>{t('common.cancel')}</Button>
            <Button tone="primary" type="submit" form="new-pipeline" busy={create.busy} disabled={!name.trim()}>
              {t('pl.settings.create')}
            </Button>
          </>
        }
      >
        <form
          id="new-pipeline"
          class="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            void create.run();
          }}
        >
          <FormError message={create.error && !create.field('name') ? (create.error instanceof ApiError && create.error.code === 'pipeline_name_taken' ? t('pl.settings.nameTaken') : create.message) : null} />
          <InputField label={t('pl.settings.pipelineName')} value={name} maxLength={80} autoFocus error={create.field('name')} onInput={(e) => setName(e.currentTarget.value)} />
          <p class="text-sm text-slate-500 dark:text-slate-400">{t('pl.settings.newPipelineHint')}</p>
        </form>
      </Dialog>
    </>
  );
}

