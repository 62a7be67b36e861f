import { useLocation } from 'preact-iso';
import { ButtonLink } from '../../components/Button';
import { PageHeader } from '../../components/Card';
import { inputClass } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { t } from '../../lib/i18n';
import { can } from '../../lib/session';
import { queryString, viewHref } from './Filters';
import type { Lookups } from './lookups';

/** Title, pipeline switcher, board/list switch and "New deal", above both views. */
export function AreaHeader({ view, pipelineId, lookups }: { view: 'board' | 'list'; pipelineId: string | undefined; lookups: Lookups }) {
  const { path, query, route } = useLocation();
  const tab = (active: boolean) =>
    `inline-flex items-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium ${active ? 'bg-white shadow-sm dark:bg-slate-700' : 'text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100'}`;
  const pipelines = lookups.pipelines;
  const selected = pipelineId ?? query.pipeline ?? '';
  return (
    <PageHeader
      title={t('nav.pipeline')}
      description={t('pipeline.description')}
      actions={
        <>
          {pipelines.length > 1 && (
            <select class={`${inputClass} sm:w-auto`} aria-label={t('pl.pipeline')} value={selected} onChange={(e) => route(`${path}${queryString({ ...query, pipeline: e.currentTarget.value })}`)}>
              {pipelines.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
          <nav aria-label={t('pl.views')} class="inline-flex rounded-lg bg-slate-100 p-1 dark:bg-slate-800">
            <a href={viewHref('/pipeline', query)} class={tab(view === 'board')} aria-current={view === 'board' ? 'page' : undefined}>
              <Icon name="pipeline" class="size-4" />
              {t('pl.view.board')}
            </a>
            <a href={viewHref('/pipeline/list', query)} class={tab(view === 'list')} aria-current={view === 'list' ? 'page' : undefined}>
              <Icon name="list" class="size-4" />
              {t('pl.view.list')}
            </a>
          </nav>
          {can('deals:write') && (
            <ButtonLink href={`/pipeline/new${selected ? `?pipeline=${encodeURIComponent(selected)}` : ''}`} tone="primary" icon="plus">
              {t('pl.newDeal')}
            </ButtonLink>
          )}
        </>
      }
    />
  );
}
