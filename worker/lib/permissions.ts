import type { Role } from '../db/schema';
import type { Actor } from '../env';

/** Areas of the product; API key scopes and role rights are both `<area>:read|write`. */
export const AREAS = [
  'contacts',
  'companies',
  'deals',
  'activities',
  'tasks',
  'tags',
  'pipelines',
  'reports',
  'forms',
  'leads',
  'imports',
  'exports',
  'backups',
  'campaigns',
  'webhooks',
  'users',
  'teams',
  'api_keys',
  'settings',
  'audit',
  'outbox',
  'products',
  'orders',
  'tickets',
] as const;
export type Area = (typeof AREAS)[number];
export type Permission = `${Area}:${'read' | 'write'}`;

export const ALL_SCOPES: Permission[] = AREAS.flatMap((a) => [`${a}:read`, `${a}:write`] as Permission[]);

// Customer-facing records that every member works on; the rest is administration.
const RECORD_AREAS: Area[] = [
  'contacts',
  'companies',
  'deals',
  'activities',
  'tasks',
  'tags',
  'leads',
  'reports',
  'orders',
  'tickets',
];

function rolePermissions(role: Role): Set<Permission> {
  const granted = new Set<Permission>();
  if (role === 'owner' || role === 'admin') {
    for (const p of ALL_SCOPES) granted.add(p);
    return granted;
  }
  // Everyone signed in may read the directory (to assign records) and the pipelines and forms.
  for (const a of [...RECORD_AREAS, 'pipelines', 'users', 'teams', 'forms', 'exports'] as Area[]) granted.add(`${a}:read`);
  // Everyone sells from the catalog; only admins (products:write via ALL_SCOPES) change it.
  granted.add('products:read');
  if (role === 'manager' || role === 'rep') {
    for (const a of [...RECORD_AREAS, 'exports', 'imports'] as Area[]) granted.add(`${a}:write`);
  }
  return granted;
}

const BY_ROLE = new Map<Role, Set<Permission>>(
  (['owner', 'admin', 'manager', 'rep', 'viewer'] as Role[]).map((r) => [r, rolePermissions(r)]),
);

/**
 * The one function-level access check. A user acts with the rights of their role; an API key with
 * the scopes it was given (never more than the admin who made it).
 */
export function can(actor: Actor, permission: Permission): boolean {
  if (actor.type === 'system') return true;
  if (actor.type === 'api_key') return actor.scopes.includes(permission);
  return BY_ROLE.get(actor.role)?.has(permission) ?? false;
}

export const isAdminRole = (role: Role) => role === 'owner' || role === 'admin';
