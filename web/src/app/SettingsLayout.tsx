import type { ComponentType } from 'preact';
import { lazy, Route, Router, useLocation } from 'preact-iso';
import { Icon, type IconName } from '../components/Icon';
import { t, type MessageKey } from '../lib/i18n';
import { can, type Permission } from '../lib/session';
import { ApiKeysPage } from '../features/api-keys/ApiKeysPage';
import { ApiReferencePage } from '../features/api-reference/ApiReferencePage';
import { AuditPage } from '../features/audit/AuditPage';
import { OutboxMessagePage, OutboxPage } from '../features/outbox/OutboxPage';
import { ProfilePage } from '../features/profile/ProfilePage';
import { TeamsPage } from '../features/teams/TeamsPage';
import { UsersPage } from '../features/users/UsersPage';
import { WorkspacePage } from '../features/workspace/WorkspacePage';
import { Redirect } from './Redirect';
import { guarded, NotFoundPage } from './pages';

// Customer settings load on first visit, with the customer pages' code.
const ProductsPage = lazy(() => import('../features/catalog/ProductsPage').then((m) => m.ProductsPage));
const CustomFieldsPage = lazy(() => import('../features/custom-fields/CustomFieldsPage').then((m) => m.CustomFieldsPage));
const CustomerRulesPage = lazy(() => import('../features/customers/CustomerRulesPage').then((m) => m.CustomerRulesPage));
const PipelinesSettingsPage = lazy(() => import('../features/pipeline/PipelinesSettingsPage').then((m) => m.PipelinesSettingsPage));
const AssignmentRulesPage = lazy(() => import('../features/pipeline/AssignmentRulesPage').then((m) => m.AssignmentRulesPage));
// Lead forms and webhooks load on first visit, with the lead pages' strings.
const FormsSettingsPage = lazy(() => import('../features/leads/FormsSettingsPage').then((m) => m.FormsSettingsPage));
const FormEditorPage = lazy(() => import('../features/leads/FormEditorPage').then((m) => m.FormEditorPage));
const WebhooksSettingsPage = lazy(() => import('../features/leads/WebhooksSettingsPage').then((m) => m.WebhooksSettingsPage));

// Follow-up plans, data reminders and failed jobs load on first visit, with the tasks' strings.
const FollowUpSettingsPage = lazy(() => import('../features/tasks/FollowUpSettingsPage').then((m) => m.FollowUpSettingsPage));
const DeadLettersPage = lazy(() => import('../features/tasks/DeadLettersPage').then((m) => m.DeadLettersPage));

type Section = { slug: string; label: MessageKey; icon: IconName; permission: Permission | null; page: ComponentType<any> };

/** Settings sections and what each needs; the menu offers only what the person may open. */
export const SECTIONS: Section[] = [
  { slug: 'profile', label: 'settings.profile', icon: 'user', permission: null, page: ProfilePage },
  { slug: 'workspace', label: 'settings.workspace', icon: 'building', permission: 'settings:read', page: WorkspacePage },
  { slug: 'users', label: 'settings.users', icon: 'customers', permission: 'users:write', page: UsersPage },
  { slug: 'teams', label: 'settings.teams', icon: 'team', permission: 'teams:read', page: TeamsPage },
  { slug: 'api-keys', label: 'settings.apiKeys', icon: 'key', permission: 'api_keys:read', page: ApiKeysPage },
  { slug: 'products', label: 'settings.products', icon: 'box', permission: 'products:read', page: ProductsPage },
  { slug: 'custom-fields', label: 'settings.customFields', icon: 'list', permission: 'settings:read', page: CustomFieldsPage },
  { slug: 'customer-rules', label: 'settings.customerRules', icon: 'reports', permission: 'settings:read', page: CustomerRulesPage },
  { slug: 'pipelines', label: 'settings.pipelines', icon: 'pipeline', permission: 'pipelines:write', page: PipelinesSettingsPage },
  { slug: 'assignment-rules', label: 'settings.assignmentRules', icon: 'team', permission: 'pipelines:write', page: AssignmentRulesPage },
  { slug: 'forms', label: 'settings.forms', icon: 'list', permission: 'forms:read', page: FormsSettingsPage },
  { slug: 'webhooks', label: 'settings.webhooks', icon: 'globe', permission: 'webhooks:read', page: WebhooksSettingsPage },
  { slug: 'follow-ups', label: 'settings.followUps', icon: 'tasks', permission: 'settings:read', page: FollowUpSettingsPage },
  { slug: 'failed-jobs', label: 'settings.deadLetters', icon: 'alert', permission: 'settings:read', page: DeadLettersPage },
  { slug: 'audit', label: 'settings.audit', icon: 'audit', permission: 'audit:read', page: AuditPage },
  { slug: 'outbox', label: 'settings.outbox', icon: 'mail', permission: 'outbox:read', page: OutboxPage },
  { slug: 'api', label: 'settings.api', icon: 'book', permission: null, page: ApiReferencePage },
];

const ToProfile = () => <Redirect to="/settings/profile" />;
const GuardedOutboxMessage = guarded('outbox:read', OutboxMessagePage);
const GuardedFormEditor = guarded('forms:read', FormEditorPage);
const guardedPages = SECTIONS.map((s) => ({ ...s, page: guarded(s.permission, s.page) }));

function SettingsNav() {
  const { path } = useLocation();
  const visible = SECTIONS.filter((s) => !s.permission || can(s.permission));
  return (
    <nav aria-label={t('settings.title')} class="relative -mx-4 overflow-x-auto px-4 md:mx-0 md:w-44 md:shrink-0 md:overflow-visible md:px-0">
      <ul class="flex gap-1 md:flex-col">
        {visible.map((s) => {
          const href = `/settings/${s.slug}`;
          const active = path === href || path.startsWith(`${href}/`);
          return (
            <li key={s.slug}>
              <a
                href={href}
                aria-current={active ? 'page' : undefined}
                class={`flex items-center gap-2.5 rounded-lg px-3 py-2 text-sm font-medium whitespace-nowrap transition ${
                  active ? 'bg-accent-soft text-accent-text' : 'text-slate-600 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-slate-100'
                }`}
              >
                <Icon name={s.icon} class="size-4 shrink-0" />
                {t(s.label)}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

export function SettingsArea() {
  return (
    <div class="flex flex-col gap-5 md:flex-row md:gap-6 xl:gap-8">
      <SettingsNav />
      <div class="min-w-0 flex-1">
        <Router>
          {guardedPages.map((s) => (
            <Route key={s.slug} path={`/${s.slug}`} component={s.page} />
          ))}
          <Route path="/outbox/:id" component={GuardedOutboxMessage} />
          <Route path="/forms/:id" component={GuardedFormEditor} />
          <Route path="/" component={ToProfile} />
          <Route default component={NotFoundPage} />
        </Router>
      </div>
    </div>
  );
}
