import { useState } from 'preact/hooks';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { InputField } from '../../components/Field';
import { t } from '../../lib/i18n';

const SUGGESTIONS = ['price', 'competitor', 'timing', 'noBudget', 'noResponse'] as const;

/** Asks why a deal was lost before it moves into a lost stage (the API requires a reason). */
export function LostReasonDialog({ dealName, stageName, error, busy, onCancel, onConfirm }: { dealName: string; stageName: string; error?: string; busy?: boolean; onCancel: () => void; onConfirm: (reason: string) => void }) {
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const submit = (e: Event) => {
    e.preventDefault();
    if (!reason.trim()) {
      setMissing(true);
      return;
    }
    onConfirm(reason.trim());
  };
  return (
    <Dialog
      open
      onClose={onCancel}
      title={t('pl.lost.title', { name: dealName, stage: stageName })}
      footer={
        <>
          <Button onClick={onCancel}>{t('common.cancel')}</Button>
          <Button tone="danger" type="submit" form="lost-reason-form" busy={busy}>
            {t('pl.lost.confirm')}
          </Button>
        </>
      }
    >
      <form id="lost-reason-form" onSubmit={submit} class="space-y-3">
        <InputField label={t('pl.field.lostReason')} value={reason} autoFocus maxLength={200} error={missing ? t('error.required') : error} onInput={(e) => { setReason(e.currentTarget.value); setMissing(false); }} />
        <div class="flex flex-wrap gap-1.5" role="group" aria-label={t('pl.lost.suggestions')}>
          {SUGGESTIONS.map((s) => (
            <button key={s} type="button" class="rounded-full border border-slate-300 px-2.5 py-1 text-xs text-slate-700 hover:bg-slate-100 dark:border-slate-700 dark:text-slate-300 dark:hover:bg-slate-800" onClick={() => { setReason(t(`pl.lost.reason.${s}`)); setMissing(false); }}>
              {t(`pl.lost.reason.${s}`)}
            </button>
          ))}
        </div>
      </form>
    </Dialog>
  );
}
