import { t } from '../lib/i18n';
import { Button } from './Button';

export function Pager({ page, hasPrevious, hasNext, onPrevious, onNext }: { page: number; hasPrevious: boolean; hasNext: boolean; onPrevious: () => void; onNext: () => void }) {
  if (!hasPrevious && !hasNext) return null;
  return (
    <nav class="flex items-center justify-between gap-3 border-t border-slate-200 px-4 py-3 text-sm sm:px-5 dark:border-slate-800" aria-label={t('common.pagination')}>
      <span class="text-slate-500 dark:text-slate-400">{t('common.page', { page })}</span>
      <div class="flex gap-2">
        <Button size="sm" icon="left" disabled={!hasPrevious} onClick={onPrevious}>
          {t('common.previous')}
        </Button>
        <Button size="sm" disabled={!hasNext} onClick={onNext}>
          {t('common.next')}
        </Button>
      </div>
    </nav>
  );
}
