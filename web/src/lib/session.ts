import { computed, signal } from '@preact/signals';
import { api, ApiError, setUnauthorizedHandler } from './api';

export const ROLES = ['owner', 'admin', 'manager', 'rep', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const AREAS = [
  'contacts', 'companies', 'deals', 'activities', 'tasks', 'tags', 'pipelines', 'reports', 'forms', 'leads', 'imports',
  'exports', 'backups', 'campaigns', 'webhooks', 'users', 'teams', 'api_keys', 'settings', 'audit', 'outbox', 'products',
  'orders', 'tickets',
] as const;
export type Area = (typeof AREAS)[number];
export type Permission = `${Area}:${'read' | 'write'}`;

export type User = {
  id: string;
  name: string;
  email: string;
  role: Role;
  teamId: string | null;
  locale: 'zh-CN' | 'en' | null;
  timezone: string | null;
  isActive: boolean;
  totpEnabled: boolean;
  lastLoginAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
};

export type Workspace = {
  id: string;
  name: string;
  currency: string;
  timezone: string;
  locale: 'zh-CN' | 'en';
  defaultCountry: string;
  accentColor: string;
  version: number;
};

export type Me = { user: User; workspace: Workspace; permissions: Permission[] };

/** undefined while the first /me is in flight, null when signed out. */
export const me = signal<Me | null | undefined>(undefined);
export const permissions = computed(() => new Set(me.value?.permissions ?? []));

export const can = (permission: Permission) => permissions.value.has(permission);

export async function loadMe(): Promise<void> {
  try {
    me.value = await api.get<Me>('/me');
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) me.value = null;
    else throw err;
  }
}

export function setMe(next: Me | null) {
  me.value = next;
}

export function setWorkspace(workspace: Workspace) {
  if (me.value) me.value = { ...me.value, workspace };
}

export async function signOut() {
  try {
    await api.post('/auth/logout');
  } finally {
    me.value = null;
  }
}

// A session that ended elsewhere (signed out, deactivated, password changed) sends us to sign-in.
setUnauthorizedHandler(() => {
  me.value = null;
});
