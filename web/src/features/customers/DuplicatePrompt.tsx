import { Button, ButtonLink } from '../../components/Button';
import { Badge } from '../../components/Card';
import { Dialog } from '../../components/Dialog';
import { t } from '../../lib/i18n';
import type { Duplicate } from './api';

type Props = {
  duplicates: Duplicate[];
  busy: boolean;
  /** Editing an existing customer rather than creating one. */
  editing: boolean;
  onCreateAnyway: () => void;
  onMerge: (targetId: string) => void;
  onClose: () => void;
};

/**
 * The API found customers with the same phone, email or name at the same company: open one,
 * merge this record into one of them, or keep both.
 */
export function DuplicatePrompt({ duplicates, busy, editing, onCreateAnyway, onMerge, onClose }: Props) {
  const hidden = duplicates.filter((d) => !d.visible).length;
  return (
    <Dialog
      open
      onClose={onClose}
      title={t('duplicates.title')}
      footer={
        <>
          <Button onClick={onClose}>{t('duplicates.back')}</Button>
          <Button busy={busy} onClick={onCreateAnyway}>
            {t(editing ? 'duplicates.saveAnyway' : 'duplicates.createAnyway')}
          </Button>
        </>
      }
    >
      <p class="text-sm text-slate-600 dark:text-slate-300">{t(editing ? 'duplicates.bodyEdit' : 'duplicates.body')}</p>
      <ul class="mt-4 divide-y divide-slate-100 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800" aria-label={t('duplicates.matches')}>
        {duplicates
          .filter((d) => d.visible && d.id)
          .map((d) => (
            <li key={d.id} class="flex flex-wrap items-center gap-3 px-3 py-3">
              <div class="min-w-0 flex-1">
                <p class="truncate font-medium">{d.name}</p>
                <div class="mt-1 flex flex-wrap gap-1">
                  {d.matchedOn.map((m) => (
                    <Badge key={m} tone="amber">
                      {t(`duplicates.matchedOn.${m}`)}
                    </Badge>
                  ))}
                </div>
              </div>
              <div class="flex gap-2">
                <ButtonLink size="sm" href={`/customers/${d.id}`}>
                  {t('duplicates.open')}
                </ButtonLink>
                <Button size="sm" tone="primary" icon="merge" busy={busy} onClick={() => onMerge(d.id!)}>
                  {t('duplicates.merge')}
                </Button>
              </div>
            </li>
          ))}
      </ul>
      {hidden > 0 && <p class="mt-3 text-xs text-slate-500 dark:text-slate-400">{t('duplicates.hidden', { count: hidden })}</p>}
    </Dialog>
  );
}
