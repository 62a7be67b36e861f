import { useState } from 'preact/hooks';
import { Button } from '../../components/Button';
import { Badge, Card, CardHeader, PageHeader } from '../../components/Card';
import { confirmAction } from '../../components/Confirm';
import { Dialog } from '../../components/Dialog';
import { FormError, InputField, inputClass, SelectField } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { Pager } from '../../components/Pager';
import { AsyncList, EmptyState } from '../../components/States';
import { td, Table } from '../../components/Table';
import { toast } from '../../components/Toast';
import { messageFor } from '../../lib/errors';
import { formatDate, formatRelative } from '../../lib/format';
import { useAsync, useCursorPages, useDebounced, useFields, useSubmit } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { me, ROLES, type Role, type User } from '../../lib/session';
import {
  createInvitation,
  deactivateUser,
  listInvitations,
  listTeams,
  listUsers,
  reactivateUser,
  revokeInvitation,
  updateUser,
  type Invitation,
  type Team,
  type UserFilters,
} from './api';

/** Roles the signed-in person may hand out: only an owner makes owners. */
const assignableRoles = (): Role[] => ROLES.filter((r) => r !== 'owner' || me.value?.user.role === 'owner');

function RoleOptions({ include }: { include?: Role }) {
  const roles = assignableRoles();
  const list = include && !roles.includes(include) ? [include, ...roles] : roles;
  return (
    <>
      {list.map((r) => (
        <option key={r} value={r}>
          {t(`role.${r}`)}
        </option>
      ))}
    </>
  );
}

function TeamOptions({ teams }: { teams: Team[] }) {
  return (
    <>
      <option value="">{t('users.noTeam')}</option>
      {teams.map((team) => (
        <option key={team.id} value={team.id}>
          {team.name}
        </option>
      ))}
    </>
  );
}

function InviteDialog({ open, teams, onClose, onInvited }: { open: boolean; teams: Team[]; onClose: () => void; onInvited: () => void }) {
  const [role, setRole] = useState<Role>('rep');
  const submit = useSubmit(async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const invitation = await createInvitation({ email: String(data.get('email') ?? ''), role, teamId: String(data.get('teamId') ?? '') || null });
    form.reset();
    setRole('rep');
    toast(t('users.invited', { email: invitation.email }));
    onInvited();
  });
  const close = () => {
    submit.reset();
    onClose();
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      title={t('users.inviteTitle')}
      footer={
        <>
          <Button onClick={close}>{t('common.cancel')}</Button>
          <Button type="submit" tone="primary" icon="mail" busy={submit.busy} form="invite-form">
            {t('users.sendInvitation')}
          </Button>
        </>
      }
    >
      <form
        id="invite-form"
        class="flex flex-col gap-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run(e.currentTarget);
        }}
      >
        <p class="text-sm text-slate-500 dark:text-slate-400">{t('users.inviteBody')}</p>
        <FormError message={submit.message} />
        <InputField label={t('field.email')} name="email" type="email" autoComplete="off" required error={submit.field('email')} />
        <div class="grid gap-4 sm:grid-cols-2">
          <SelectField label={t('field.role')} name="role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)} error={submit.field('role')}>
            <RoleOptions />
          </SelectField>
          <SelectField label={t('field.team')} name="teamId" error={submit.field('teamId')}>
            <TeamOptions teams={teams} />
          </SelectField>
        </div>
        <p class="text-xs text-slate-500 dark:text-slate-400">{t(`users.roleHelp.${role}`)}</p>
      </form>
    </Dialog>
  );
}

function EditUserDialog({ user, teams, onClose, onSaved }: { user: User; teams: Team[]; onClose: () => void; onSaved: () => void }) {
  const isSelf = user.id === me.value?.user.id;
  const fields = useFields({ name: user.name, role: user.role as string, teamId: user.teamId ?? '' });
  const submit = useSubmit(async () => {
    const { name, role, teamId } = fields.values;
    const changes: { name?: string; role?: Role; teamId?: string | null } = {};
    if (name !== user.name) changes.name = name;
    if (role !== user.role) changes.role = role as Role;
    if ((teamId || null) !== user.teamId) changes.teamId = teamId || null;
    if (Object.keys(changes).length) {
      await updateUser(user, changes);
      toast(t('users.saved'));
    }
    onSaved();
  });
  return (
    <Dialog
      open
      onClose={onClose}
      title={t('users.editTitle', { name: user.name })}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" tone="primary" busy={submit.busy} form="edit-user-form">
            {t('common.save')}
          </Button>
        </>
      }
    >
      <form
        id="edit-user-form"
        class="flex flex-col gap-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run();
        }}
      >
        <FormError message={submit.message} />
        <InputField label={t('field.name')} {...fields.bind('name')} error={submit.field('name')} />
        <div class="grid gap-4 sm:grid-cols-2">
          <SelectField label={t('field.role')} {...fields.bind('role')} disabled={isSelf} hint={isSelf ? t('users.ownRole') : undefined} error={submit.field('role')}>
            <RoleOptions include={user.role} />
          </SelectField>
          <SelectField label={t('field.team')} {...fields.bind('teamId')} error={submit.field('teamId')}>
            <TeamOptions teams={teams} />
          </SelectField>
        </div>
      </form>
    </Dialog>
  );
}

function statusBadge(invitation: Invitation) {
  const tone = invitation.status === 'pending' ? 'amber' : invitation.status === 'accepted' ? 'green' : 'gray';
  return <Badge tone={tone}>{t(`invitation.${invitation.status}`)}</Badge>;
}

function Invitations({ teams, version, onChanged }: { teams: Team[]; version: number; onChanged: () => void }) {
  const state = useAsync((signal) => listInvitations(signal), [version]);
  const teamName = (id: string | null) => teams.find((team) => team.id === id)?.name ?? '—';
  const revoke = async (invitation: Invitation) => {
    const ok = await confirmAction({ title: t('users.revokeTitle'), body: t('users.revokeBody', { email: invitation.email }), confirmLabel: t('users.revoke') });
    if (!ok) return;
    try {
      await revokeInvitation(invitation.id);
      toast(t('users.revoked'));
      onChanged();
    } catch (err) {
      toast(messageFor(err), 'error');
    }
  };
  return (
    <Card>
      <CardHeader title={t('users.invitationsTitle')} description={t('users.invitationsBody')} />
      <AsyncList state={state} empty={<EmptyState icon="mail" title={t('users.noInvitations')} body={t('users.noInvitationsBody')} />}>
        {(data) => (
          <Table columns={[t('field.email'), t('field.role'), t('field.team'), t('field.status'), t('users.expires'), <span class="sr-only">{t('common.actions')}</span>]}>
            {data.items.map((inv) => (
              <tr key={inv.id}>
                <td class={`${td} max-w-56 truncate font-medium`} title={inv.email}>
                  {inv.email}
                </td>
                <td class={td}>{t(`role.${inv.role}`)}</td>
                <td class={td}>{teamName(inv.teamId)}</td>
                <td class={td}>{statusBadge(inv)}</td>
                <td class={`${td} whitespace-nowrap text-slate-500 dark:text-slate-400`}>{inv.status === 'pending' ? formatRelative(inv.expiresAt) : formatDate(inv.createdAt)}</td>
                <td class={`${td} text-right`}>
                  {inv.status === 'pending' && (
                    <Button size="sm" tone="ghost" icon="trash" onClick={() => void revoke(inv)}>
                      {t('users.revoke')}
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </AsyncList>
    </Card>
  );
}

export function UsersPage() {
  const [filters, setFilters] = useState<UserFilters>({ active: 'true' });
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim());
  const [inviteOpen, setInviteOpen] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [version, setVersion] = useState(0);
  const bump = () => setVersion((v) => v + 1);
  const teams = useAsync((signal) => listTeams(signal)).data?.items ?? [];
  const users = useCursorPages((cursor, signal) => listUsers({ ...filters, q }, cursor, signal), [filters, q, version]);
  const teamName = (id: string | null) => teams.find((team) => team.id === id)?.name ?? '—';
  const selfId = me.value?.user.id;

  const toggleActive = async (user: User) => {
    if (user.isActive) {
      const ok = await confirmAction({ title: t('users.deactivateTitle', { name: user.name }), body: t('users.deactivateBody'), confirmLabel: t('users.deactivate') });
      if (!ok) return;
    }
    try {
      await (user.isActive ? deactivateUser(user.id) : reactivateUser(user.id));
      toast(user.isActive ? t('users.deactivated', { name: user.name }) : t('users.reactivated', { name: user.name }));
      bump();
    } catch (err) {
      toast(messageFor(err), 'error');
    }
  };

  return (
    <>
      <PageHeader
        title={t('settings.users')}
        description={t('users.description')}
        actions={
          <Button tone="primary" icon="plus" onClick={() => setInviteOpen(true)}>
            {t('users.invite')}
          </Button>
        }
      />
      <div class="flex flex-col gap-5">
        <Card>
          <div class="flex flex-col gap-3 border-b border-slate-200 p-4 sm:flex-row sm:items-center sm:px-5 dark:border-slate-800">
            <label class="relative min-w-0 flex-1">
              <span class="sr-only">{t('users.search')}</span>
              <span class="pointer-events-none absolute inset-y-0 left-3 flex items-center text-slate-400">
                <Icon name="search" class="size-4" />
              </span>
              <input
                type="search"
                class={`${inputClass} pl-9`}
                placeholder={t('users.search')}
                value={search}
                onInput={(e) => setSearch(e.currentTarget.value)}
              />
            </label>
            <div class="flex gap-3">
              <label class="min-w-0 flex-1 sm:w-40 sm:flex-none">
                <span class="sr-only">{t('field.role')}</span>
                <select class={inputClass} value={filters.role ?? ''} onChange={(e) => setFilters((f) => ({ ...f, role: e.currentTarget.value }))}>
                  <option value="">{t('users.allRoles')}</option>
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {t(`role.${r}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label class="min-w-0 flex-1 sm:w-40 sm:flex-none">
                <span class="sr-only">{t('field.status')}</span>
                <select class={inputClass} value={filters.active ?? ''} onChange={(e) => setFilters((f) => ({ ...f, active: e.currentTarget.value }))}>
                  <option value="true">{t('users.active')}</option>
                  <option value="false">{t('users.inactive')}</option>
                  <option value="">{t('users.everyone')}</option>
                </select>
              </label>
            </div>
          </div>
          <AsyncList state={users} empty={<EmptyState icon="customers" title={t('users.noneTitle')} body={t('users.noneBody')} />}>
            {(data) => (
              <Table label={t('settings.users')} columns={[t('field.name'), t('field.role'), t('field.team'), t('field.status'), t('users.lastSignIn'), <span class="sr-only">{t('common.actions')}</span>]}>
                {data.items.map((user) => (
                  <tr key={user.id}>
                    <td class={td}>
                      <div class="font-medium">
                        {user.name}
                        {user.id === selfId && <span class="ml-1.5 text-xs font-normal text-slate-500">({t('users.you')})</span>}
                      </div>
                      <div class="text-xs text-slate-500 dark:text-slate-400">{user.email}</div>
                    </td>
                    <td class={td}>
                      <Badge tone={user.role === 'owner' || user.role === 'admin' ? 'accent' : 'gray'}>{t(`role.${user.role}`)}</Badge>
                    </td>
                    <td class={td}>{teamName(user.teamId)}</td>
                    <td class={td}>{user.isActive ? <Badge tone="green">{t('users.active')}</Badge> : <Badge>{t('users.inactive')}</Badge>}</td>
                    <td class={`${td} whitespace-nowrap text-slate-500 dark:text-slate-400`}>{user.lastLoginAt ? formatRelative(user.lastLoginAt) : t('users.never')}</td>
                    <td class={`${td} text-right whitespace-nowrap`}>
                      <Button size="sm" tone="ghost" icon="edit" onClick={() => setEditing(user)} aria-label={t('users.editTitle', { name: user.name })}>
                        {t('common.edit')}
                      </Button>
                      {user.id !== selfId && (
                        <Button size="sm" tone="ghost" onClick={() => void toggleActive(user)}>
                          {user.isActive ? t('users.deactivate') : t('users.reactivate')}
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </Table>
            )}
          </AsyncList>
          <Pager page={users.pageNumber} hasPrevious={users.hasPrevious} hasNext={users.hasNext} onPrevious={users.previous} onNext={users.next} />
        </Card>
        <Invitations teams={teams} version={version} onChanged={bump} />
      </div>
      <InviteDialog
        open={inviteOpen}
        teams={teams}
        onClose={() => setInviteOpen(false)}
        onInvited={() => {
          setInviteOpen(false);
          bump();
        }}
      />
      {editing && (
        <EditUserDialog
          user={editing}
          teams={teams}
          onClose={() => {
            setEditing(null);
            bump();
          }}
          onSaved={() => {
            setEditing(null);
            bump();
          }}
        />
      )}
    </>
  );
}
