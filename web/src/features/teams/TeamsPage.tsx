import { useState } from 'preact/hooks';
import { Button } from '../../components/Button';
import { Card, PageHeader } from '../../components/Card';
import { confirmAction } from '../../components/Confirm';
import { Dialog } from '../../components/Dialog';
import { Checkbox, FormError, InputField, SelectField } from '../../components/Field';
import { AsyncList, EmptyState } from '../../components/States';
import { td, Table } from '../../components/Table';
import { toast } from '../../components/Toast';
import { messageFor } from '../../lib/errors';
import { useAsync, useSubmit } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { can, type User } from '../../lib/session';
import { createTeam, deleteTeam, listMembers, listTeams, updateTeam, type Team } from './api';

const personLabel = (p: User) => (p.isActive ? p.name : `${p.name} (${t('users.inactive')})`);

function TeamDialog({ team, people: everyone, onClose, onSaved }: { team: Team | null; people: User[]; onClose: () => void; onSaved: () => void }) {
  // Deactivated people are offered only where they already are (so that saving keeps them).
  const people = everyone.filter((p) => p.isActive || p.id === team?.managerId || team?.memberIds.includes(p.id));
  const [name, setName] = useState(team?.name ?? '');
  const [managerId, setManagerId] = useState(team?.managerId ?? '');
  const [memberIds, setMemberIds] = useState<string[]>(team?.memberIds ?? []);
  const submit = useSubmit(async () => {
    const input = { name, managerId: managerId || null, memberIds };
    if (team) await updateTeam(team, input);
    else await createTeam(input);
    toast(team ? t('teams.saved') : t('teams.created', { name }));
    onSaved();
  });
  const toggle = (id: string, on: boolean) => setMemberIds((ids) => (on ? [...ids, id] : ids.filter((x) => x !== id)));
  return (
    <Dialog
      open
      onClose={onClose}
      title={team ? t('teams.editTitle', { name: team.name }) : t('teams.newTitle')}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" tone="primary" busy={submit.busy} form="team-form">
            {team ? t('common.save') : t('teams.create')}
          </Button>
        </>
      }
    >
      <form
        id="team-form"
        class="flex flex-col gap-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run();
        }}
      >
        <FormError message={submit.message} />
        <InputField label={t('field.teamName')} value={name} onInput={(e) => setName(e.currentTarget.value)} error={submit.field('name')} />
        <SelectField label={t('teams.manager')} value={managerId} onChange={(e) => setManagerId(e.currentTarget.value)} error={submit.field('managerId')}>
          <option value="">{t('teams.noManager')}</option>
          {people.map((p) => (
            <option key={p.id} value={p.id}>
              {personLabel(p)}
            </option>
          ))}
        </SelectField>
        <fieldset>
          <legend class="mb-1.5 text-sm font-medium text-slate-700 dark:text-slate-300">{t('teams.members')}</legend>
          <p class="mb-2 text-xs text-slate-500 dark:text-slate-400">{t('teams.membersHint')}</p>
          <div class="grid max-h-60 gap-2 overflow-y-auto rounded-lg border border-slate-200 p-3 sm:grid-cols-2 dark:border-slate-800">
            {people.map((p) => (
              <Checkbox key={p.id} label={personLabel(p)} checked={memberIds.includes(p.id)} onChange={(e) => toggle(p.id, e.currentTarget.checked)} />
            ))}
          </div>
          {submit.field('memberIds') && (
            <p role="alert" class="mt-1.5 text-xs font-medium text-red-600 dark:text-red-400">
              {submit.field('memberIds')}
            </p>
          )}
        </fieldset>
      </form>
    </Dialog>
  );
}

export function TeamsPage() {
  const canEdit = can('teams:write');
  const [version, setVersion] = useState(0);
  const [editing, setEditing] = useState<Team | 'new' | null>(null);
  const teams = useAsync((signal) => listTeams(signal), [version]);
  const people = useAsync((signal) => listMembers(signal), [version]).data?.items ?? [];
  const nameOf = (id: string | null) => people.find((p) => p.id === id)?.name;
  const reload = () => setVersion((v) => v + 1);

  const remove = async (team: Team) => {
    const ok = await confirmAction({ title: t('teams.deleteTitle', { name: team.name }), body: t('teams.deleteBody'), confirmLabel: t('common.delete') });
    if (!ok) return;
    try {
      await deleteTeam(team.id);
      toast(t('teams.deleted', { name: team.name }));
      reload();
    } catch (err) {
      toast(messageFor(err), 'error');
    }
  };

  const newButton = canEdit && (
    <Button tone="primary" icon="plus" onClick={() => setEditing('new')}>
      {t('teams.new')}
    </Button>
  );

  return (
    <>
      <PageHeader title={t('settings.teams')} description={t('teams.description')} actions={newButton} />
      <Card>
        <AsyncList state={teams} empty={<EmptyState icon="team" title={t('teams.emptyTitle')} body={t('teams.emptyBody')} action={newButton} />}>
          {(data) => (
            <Table label={t('settings.teams')} columns={[t('field.teamName'), t('teams.manager'), t('teams.members'), ...(canEdit ? [<span class="sr-only">{t('common.actions')}</span>] : [])]}>
              {data.items.map((team) => (
                <tr key={team.id}>
                  <td class={`${td} font-medium`}>{team.name}</td>
                  <td class={td}>{nameOf(team.managerId) ?? <span class="text-slate-400">—</span>}</td>
                  <td class={`${td} min-w-48 whitespace-normal`}>
                    <span class="text-slate-600 dark:text-slate-300">
                      {team.memberIds.length === 0
                        ? t('teams.noMembers')
                        : team.memberIds
                            .map(nameOf)
                            .filter(Boolean)
                            .join(t('common.listSeparator'))}
                    </span>
                  </td>
                  {canEdit && (
                    <td class={`${td} text-right whitespace-nowrap`}>
                      <Button size="sm" tone="ghost" icon="edit" onClick={() => setEditing(team)}>
                        {t('common.edit')}
                      </Button>
                      <Button size="sm" tone="ghost" icon="trash" onClick={() => void remove(team)}>
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
        <TeamDialog
          team={editing === 'new' ? null : editing}
          people={people}
          onClose={() => {
            setEditing(null);
            reload();
          }}
          onSaved={() => {
            setEditing(null);
            reload();
          }}
        />
      )}
    </>
  );
}
